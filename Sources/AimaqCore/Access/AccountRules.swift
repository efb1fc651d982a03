/// Rules for account fields, shared by the administrators' page and the command line.
public enum AccountRules {
    public static let minimumPasswordLength = 10
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut.
    public static let maximumPasswordBytes = 72

    public enum PasswordProblem: String, Sendable {
        case short, long
    }

    public static func passwordProblem(_ password: String) -> PasswordProblem? {
        if password.count < minimumPasswordLength { return .short }
        if password.utf8.count > maximumPasswordBytes { return .long }
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
