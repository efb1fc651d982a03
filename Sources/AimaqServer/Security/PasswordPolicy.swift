import AimaqCore

/// The rules a new password must meet, with the bundled list of common passwords.
public enum PasswordPolicy {
    /// `common-passwords.txt`, read once.
    static let common: Set<String> = {
        guard let text = try? BundledFile.text("common-passwords.txt") else { return [] }
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()

    public static func problem(_ password: String, email: String, name: String) -> AccountRules.PasswordProblem? {
        AccountRules.passwordProblem(password, common: common, personal: [email, name])
    }

    /// The problem said for the command line.
    public static func describe(_ problem: AccountRules.PasswordProblem) -> String {
        switch problem {
        case .short: "at least \(AccountRules.minimumPasswordLength) characters"
        case .long: "at most \(AccountRules.maximumPasswordBytes) bytes"
        case .common: "too common (on the list of passwords that are tried first)"
        case .personal: "it holds the e-mail name or the name of the account"
        }
    }
}
