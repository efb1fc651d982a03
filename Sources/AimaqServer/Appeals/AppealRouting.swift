import AimaqCore

/// Who must answer what was raised, read from the directory of bodies: the akimat's
/// department whose remit holds the topic (else the akimat) of the nearest territory that has
/// an akimat, or that territory's maslikhat when the appeal is addressed to the deputies.
enum AppealRouting {
    enum Addressee: String, Sendable, CaseIterable {
        case akimat, maslikhat
    }

    /// The territory itself and every one above it, nearest first.
    static func chain(_ territory: KATOCode) -> [KATOCode] { [territory] + territory.nominalAncestors }

    static func body(for territory: KATOCode, topic: AppealTopic?, addressee: Addressee, bodies: BodyDirectory) -> Int? {
        for code in chain(territory) {
            switch addressee {
            case .akimat:
                if let id = bodies.responsible(for: code, category: topic?.category) { return id }
            case .maslikhat:
                if let id = bodies.bodies(of: code).first(where: { $0.kind == .maslikhat })?.id { return id }
            }
        }
        return nil
    }

    /// The executive bodies an appeal may be given to as an assignment: the akimat of the
    /// territory and of every one above it, each followed by its departments, nearest first.
    static func executors(for territory: KATOCode, bodies: BodyDirectory) -> [BodySummary] {
        chain(territory).flatMap { code in
            bodies.bodies(of: code).filter(\.kind.isExecutive)
                .sorted { ($0.kind == .akimat ? 0 : 1, $0.id) < ($1.kind == .akimat ? 0 : 1, $1.id) }
        }
    }

    /// The executor offered first: the body the appeal was routed to when it executes, else
    /// the one its topic routes to.
    static func defaultExecutor(_ appeal: AppealRecord, bodies: BodyDirectory) -> Int? {
        if let id = appeal.bodyID, let body = bodies.body(id), body.kind.isExecutive { return id }
        return Self.body(for: appeal.territory, topic: AppealTopic.named(appeal.topic), addressee: .akimat, bodies: bodies)
    }

    /// The bucket similar appeals are grouped in: the district (or city) the territory lies in.
    static func district(of territory: KATOCode) -> KATOCode {
        guard territory.level > .district else { return territory }
        return (try? KATOCode(number: territory.value - territory.value % 100_000)) ?? territory.region
    }

    /// The body a poorly rated answer goes to: a department's akimat, else the body of the same
    /// kind in the nearest territory above.
    static func bodyAbove(_ id: Int, bodies: BodyDirectory) -> Int? {
        guard let body = bodies.body(id) else { return nil }
        if body.kind == .akimatDepartment { return body.parent }
        guard let territory = body.territory else { return nil }
        for code in territory.nominalAncestors {
            if let above = bodies.bodies(of: code).first(where: { $0.kind == body.kind }) { return above.id }
        }
        return nil
    }

    /// Whether a body is a representative one (its deputies answer).
    static func isRepresentative(_ id: Int?, bodies: BodyDirectory) -> Bool {
        guard let id, let body = bodies.body(id) else { return false }
        return body.kind == .maslikhat
    }
}
