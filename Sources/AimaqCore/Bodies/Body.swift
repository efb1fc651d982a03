/// The kinds of body Aimaq knows. National representative bodies change over time (the
/// Senate until 30 June 2026, the Kurultai from 1 July 2026), so a body carries a validity
/// period rather than the product being wired to any one of them.
public enum BodyKind: String, Sendable, CaseIterable, Codable {
    case maslikhat
    case akimat
    case senate
    case mazhilis
    case kurultai
    case peoplesCouncil = "peoples_council"
    /// A department (управление / басқарма) of an akimat, answerable to it.
    case akimatDepartment = "akimat_department"

    /// Representative bodies hold deputies; executive bodies hold officers.
    public var isRepresentative: Bool { self == .maslikhat || self == .senate || self == .mazhilis || self == .kurultai }
    /// The People's Council (Kazakhstan Halyk Kenesi, from 1 July 2026) advises: it holds
    /// members, has legislative initiative, and neither represents voters nor executes.
    public var isConsultative: Bool { self == .peoplesCouncil }
    /// Executive bodies carry out assignments: akimats and their departments.
    public var isExecutive: Bool { self == .akimat || self == .akimatDepartment }
    public var isNational: Bool { self == .senate || self == .mazhilis || self == .kurultai || self == .peoplesCouncil }
}

/// A member's place in a body.
public enum MemberRole: String, Sendable, CaseIterable, Codable {
    case chairman
    case deputyChairman = "deputy_chairman"
    case secretary
    case deputy
    case commissionChair = "commission_chair"
    case akim
    case deputyAkim = "deputy_akim"
    case officer
    /// A member of a consultative body (the People's Council).
    case member

    /// Order in which members are listed on a body's page.
    public var rank: Int {
        switch self {
        case .chairman, .akim: 0
        case .deputyChairman, .deputyAkim: 1
        case .secretary: 2
        case .commissionChair: 3
        case .deputy, .officer, .member: 4
        }
    }
}

/// A body as plain data.
public struct BodySummary: Hashable, Sendable, Codable {
    public var id: Int
    public var kind: BodyKind
    public var territory: KATOCode?
    public var name: LocalizedName
    public var validity: ValidityPeriod
    public var seats: Int?
    /// The akimat a department belongs to.
    public var parent: Int?
    /// The instruction categories a department answers for.
    public var remit: [InstructionCategory]

    public init(id: Int, kind: BodyKind, territory: KATOCode?, name: LocalizedName,
                validity: ValidityPeriod, seats: Int?, parent: Int? = nil, remit: [InstructionCategory] = []) {
        self.id = id
        self.kind = kind
        self.territory = territory
        self.name = name
        self.validity = validity
        self.seats = seats
        self.parent = parent
        self.remit = remit
    }
}

public struct BodyMemberSummary: Hashable, Sendable, Codable {
    public var id: Int
    public var personName: String
    public var role: MemberRole
    public var commission: String?
    public var term: ValidityPeriod

    public init(id: Int, personName: String, role: MemberRole, commission: String?, term: ValidityPeriod) {
        self.id = id
        self.personName = personName
        self.role = role
        self.commission = commission
        self.term = term
    }
}
