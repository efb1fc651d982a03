import AimaqCore
import Vapor

/// A capability's part of a territory page. The page asks each section registered in
/// `AppState.territorySections` (in that order) for its version and its content, and knows
/// nothing else about it: a new capability adds its section in its own folder and one line
/// where the sections are listed.
protocol TerritorySection: Sendable {
    /// Changes whenever what the section shows for `code` changes (the page is kept under
    /// the versions of all its sections).
    func version(for code: KATOCode, _ request: Request) async throws -> Int

    /// The section for `code`, or nil when the capability has nothing to show there.
    func render(for code: KATOCode, _ request: Request) async throws -> Node?
}
