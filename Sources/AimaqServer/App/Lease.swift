import Foundation
import SQLKit

/// A named lease in the database: at most one server holds it until it runs out, so work
/// that must run once (the deadline sweep) runs on one server at a time.
enum Lease {
    /// Takes the lease for `seconds`, or extends it when `holder` has it; false when another
    /// server holds it and it has not run out.
    static func acquire(_ name: String, holder: String, seconds: Double, db: any SQLDatabase) async throws -> Bool {
        let now = Date().timeIntervalSince1970
        struct Row: Decodable { var holder: String }
        if try await db.select().column("holder").from("leases").where("name", .equal, SQLBind(name))
            .first(decoding: Row.self) == nil {
            do {
                try await db.insert(into: "leases").columns("name", "holder", "until")
                    .values(SQLBind(name), SQLBind(holder), SQLBind(now + seconds)).run()
                return true
            } catch {
                // Another server inserted it first: fall through to the update, which it wins.
            }
        }
        try await db.update("leases")
            .set("holder", to: SQLBind(holder)).set("until", to: SQLBind(now + seconds))
            .where("name", .equal, SQLBind(name))
            .where { $0.where("until", .lessThan, SQLBind(now)).orWhere("holder", .equal, SQLBind(holder)) }
            .run()
        let current = try await db.select().column("holder").from("leases").where("name", .equal, SQLBind(name))
            .first(decoding: Row.self)
        return current?.holder == holder
    }
}
