/// Rules for account fields, shared by the administrators' page and the command line.
public enum AccountRules {
    /// Characters (what a person counts, not bytes).
    public static let minimumPasswordLength = 12
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut.
    public static let maximumPasswordBytes = 72

    public enum PasswordProblem: String, Sendable {
        /// Fewer than 12 characters.
        case short
        /// More than bcrypt reads.
        case long
        /// On the list of common passwords, or one character over and over.
        case common
        /// Holds the account's own e-mail name or display name.
        case personal
    }

    /// What is wrong with a new password, if anything. `common` holds the refused passwords
    /// in lower case; `personal` the account's e-mail address and name.
    public static func passwordProblem(_ password: String, common: Set<String> = [],
                                       personal: [String] = []) -> PasswordProblem? {
        if password.count < minimumPasswordLength { return .short }
        if password.utf8.count > maximumPasswordBytes { return .long }
        let lowered = password.lowercased()
        if common.contains(lowered) || Set(lowered).count == 1 { return .common }
        for part in personal {
            let name = part.lowercased().split(separator: "@").first.map(String.init) ?? ""
            if name.count >= 4, lowered.contains(name) { return .personal }
        }
        return nil
    }

    /// One `@`, something before it, a dot in the domain, no spaces, a sane length.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        guard email.count <= 254, !email.contains(where: { $0.isWhitespace }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let domain = parts[1]
        guard let dot = domain.lastIndex(of: "."), dot != domain.startIndex,
              domain.index(after: dot) != domain.endIndex else { return false }
        return true
    }
}
