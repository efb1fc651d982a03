import AimaqCore
import AimaqServer
import ArgumentParser
import Foundation
import Logging

@main
struct Aimaq: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aimaq",
        abstract: "Aimaq: the shared workspace of Kazakhstan's representative bodies, akimats, experts and citizens.",
        subcommands: [Serve.self, Demo.self, Migrate.self, UserCommand.self, AuditCommand.self,
                      ImportCommand.self, PollCommand.self, AppealsCommand.self, Check.self, Backup.self, Restore.self] + ToolCommands.all)

    static func main() async {
        // Run Swift concurrency on NIO's event loops (measured +30-40% on database pages).
        ServerCommands.installEventLoopExecutor()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Flags every server command takes; each falls back to its `AIMAQ_` variable.
struct ServerOptions: ParsableArguments {
    @Option(help: "Data folder (AIMAQ_DATA; default ./aimaq-data).") var data: String?
    @Option(help: "Address to listen on (AIMAQ_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (AIMAQ_PORT; default 8080).") var port: Int?
    @Option(name: .customLong("database-url"), help: "postgres://… (AIMAQ_DATABASE_URL; default SQLite in the data folder).")
    var databaseURL: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (AIMAQ_LOG_LEVEL; default notice).")
    var logLevel: String?

    /// The settings of the environment with the flags laid over them; a variable that is set
    /// but cannot be used stops the command, named with what was expected.
    func configuration() throws -> AimaqConfiguration {
        var config = try AimaqConfiguration.fromEnvironment().checked()
        if let data { config.dataDirectory = data }
        if let host { config.host = host }
        if let port { config.port = port }
        if let databaseURL { config.databaseURL = databaseURL }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw CommandFailure(description: "--log-level \(logLevel): expected one of "
                                     + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            config.logLevel = level
        }
        return config
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve an existing data folder.")
    @OptionGroup var options: ServerOptions

    func run() async throws {
        let config = try options.configuration()
        ServerCommands.bootstrapLogging(config.logLevel)
        try await ServerCommands.serve(config)
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the database (SQLite's integrity check) and the audit log; say what is wrong.")
    @OptionGroup var options: ServerOptions

    func run() async throws {
        let config = try options.configuration()
        ServerCommands.bootstrapLogging(config.logLevel)
        let report = try await Maintenance.check(config)
        guard report.isHealthy else {
            throw CommandFailure(description: "aimaq check: \(report.problems.count) problem(s):\n"
                                 + report.problems.joined(separator: "\n"))
        }
        print("aimaq check: the database is sound and the audit log verifies (\(report.auditEntries) entries)")
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to FILE, also while serving (SQLite: VACUUM INTO; PostgreSQL: pg_dump).")
    @OptionGroup var options: ServerOptions
    @Argument(help: "The backup file to write (must not exist).") var file: String

    func run() async throws {
        let config = try options.configuration()
        ServerCommands.bootstrapLogging(config.logLevel)
        do {
            print(try await Maintenance.backup(config, to: file))
        } catch {
            throw CommandFailure(description: "aimaq backup: \(error)")
        }
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup into an empty data folder (or an empty PostgreSQL database), then check it.")
    @OptionGroup var options: ServerOptions
    @Argument(help: "A file written by `aimaq backup`.") var file: String

    func run() async throws {
        let config = try options.configuration()
        ServerCommands.bootstrapLogging(config.logLevel)
        do {
            print(try await Maintenance.restore(config, from: file))
        } catch {
            throw CommandFailure(description: "aimaq restore: \(error)")
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or update the database and load the territory reference data.")
    @OptionGroup var options: ServerOptions

    func run() async throws {
        let config = try options.configuration()
        ServerCommands.bootstrapLogging(config.logLevel)
        try await ServerCommands.migrate(config)
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the data folder with the national demo data set (when empty) and serve it.")
    @OptionGroup var options: ServerOptions
    @Flag(help: "Load the demo data and exit without serving.") var loadOnly = false
    @Flag(help: "Generate the national-scale instruction set (50,000+ assignments) for benchmarks.") var national = false

    func run() async throws {
        let config = try options.configuration()
        ServerCommands.bootstrapLogging(config.logLevel)
        try await ServerCommands.demo(config, loadOnly: loadOnly, nationalScale: national)
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage accounts.", subcommands: [Add.self, Token.self])

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an API token for an account; prints the token alone (it is shown only this once).")
        @OptionGroup var options: ServerOptions
        @Option(help: "E-mail address of the account.") var email: String
        @Option(help: "What the token is for (1 to 100 characters).") var name: String

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            let name = name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 100 else { throw ValidationError("--name: 1 to 100 characters") }
            do {
                print(try await ServerCommands.issueToken(config, email: email.trimmingCharacters(in: .whitespaces).lowercased(),
                                                          name: name))
            } catch {
                throw CommandFailure(description: "aimaq user token: \(error)")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account with a role in a territory.")
        @OptionGroup var options: ServerOptions
        @Option(help: "E-mail address (the sign-in name).") var email: String
        @Option(help: "administrator, national_deputy, maslikhat_deputy, akimat_officer, expert or citizen.") var role: String
        @Option(help: "KATO code of the territory the role holds in; omit for the whole country.") var territory: String?
        @Option(help: "Display name (default: the e-mail address).") var name: String?
        @Option(help: "For an akimat officer, the body they report for: akimat (of --territory), a department key (roads, finance, …: that department of the regional akimat), a body number, or none. Without one an officer reports for nothing.")
        var body: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (for scripts); otherwise a one-time link is printed with which the person sets their own.")
        var passwordFromStandardInput = false

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            let email = email.trimmingCharacters(in: .whitespaces).lowercased()
            guard AccountRules.isPlausibleEmail(email) else {
                throw ValidationError("--email: \"\(email)\" is not an e-mail address")
            }
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role: \"\(role)\" is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var scope = TerritoryScope.country
            if let territory {
                do {
                    scope = .subtree(try KATOCode(territory))
                } catch {
                    throw ValidationError("--territory: \(error)")
                }
            }
            var password: String?
            if passwordFromStandardInput {
                let given = readLine(strippingNewline: true) ?? ""
                if let problem = PasswordPolicy.problem(given, email: email, name: name ?? "") {
                    throw ValidationError("password: " + PasswordPolicy.describe(problem))
                }
                password = given
            }
            let link: String?
            do {
                link = try await ServerCommands.addUser(config, email: email, name: name ?? email, role: role,
                                                        scope: scope, body: AccountAdministration.BodyChoice(body ?? "none"),
                                                        password: password)
            } catch {
                throw CommandFailure(description: "aimaq user add: \(error)")
            }
            print("created \(role.rawValue) \(email) in \(scope.code?.description ?? "the whole country")")
            if role == .akimatOfficer, AccountAdministration.BodyChoice(body ?? "none") == .none {
                print("note: this officer is bound to no body and can report for nothing; add one with --body")
            }
            if let link {
                print("one-time link to set the password (valid \(config.linkHours) h; give it to the person only): \(link)")
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit log.", subcommands: [Verify.self, Anchor.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the signed hash chain; report the first broken entry.")
        @OptionGroup var options: ServerOptions
        @Option(help: "An anchor printed earlier by `aimaq audit anchor` (sequence:hash): also check that the log still reaches it unchanged, which finds removed newest entries.")
        var anchor: String?

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            let (broken, intact) = try await ServerCommands.verifyAudit(config, anchor: anchor)
            if let broken {
                throw CommandFailure(description: "audit log BROKEN at \(broken) (\(intact) entries before it are intact)")
            }
            print("audit log intact: \(intact) entries verified" + (anchor == nil ? "" : ", the anchor included"))
        }
    }

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the newest entry as sequence:hash, to keep outside the server (for `verify --anchor`).")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            guard let anchor = try await ServerCommands.auditAnchor(config) else {
                throw CommandFailure(description: "aimaq audit anchor: the audit log is empty")
            }
            print(anchor)
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import reference data, plans and budgets.",
        subcommands: [Territories.self, Plan.self, Budget.self, Referendum.self, Electorate.self, Draft.self, Polis.self])

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a draft (Markdown or plain text, headings are articles) as the next version of a discussion, or open a new discussion with it.")
        @OptionGroup var options: ServerOptions
        @Option(help: "The discussion to add a version to (as in /discussions/N).") var discussion: Int?
        @Option(help: "A new discussion's title (all three languages unless --title-kk/-ru/-en are given).") var title: String?
        @Option(name: .customLong("title-kk")) var titleKK: String?
        @Option(name: .customLong("title-ru")) var titleRU: String?
        @Option(name: .customLong("title-en")) var titleEN: String?
        @Option(help: "A new discussion's territory (KATO code; 000000000 is not one: use a region or lower).") var territory: String?
        @Option(help: "First day of public discussion (YYYY-MM-DD).") var opens: String?
        @Option(name: .customLong("expert-review"), help: "First day of expert review.") var expertReview: String?
        @Option(help: "First day of the responsible body's dispositions.") var dispositions: String?
        @Option(help: "The day the discussion closes.") var closes: String?
        @Argument(help: "The draft file.") var file: String

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            var new: ServerCommands.NewDiscussion?
            if discussion == nil, let title, let territory {
                new = ServerCommands.NewDiscussion(
                    title: LocalizedName(kk: titleKK ?? title, ru: titleRU ?? title, en: titleEN ?? title), territory: territory,
                    dates: [opens, expertReview, dispositions, closes].compactMap { $0 })
            }
            print(try await ServerCommands.importDraft(config, file: file, discussion: discussion, new: new))
        }
    }

    struct Electorate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a referendum's electorate by territory from CSV (kato,eligible), all or nothing; counting progress is shown against it.")
        @OptionGroup var options: ServerOptions
        @Option(help: "The referendum (as in /referendums/N).") var referendum: Int
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            print(try await ServerCommands.importElectorate(config, referendum: referendum, file: file))
        }
    }

    struct Polis: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a Polis export (votes.csv, comments.csv) as a new opinion-map conversation, all or nothing.")
        @OptionGroup var options: ServerOptions
        @Option(help: "The conversation's title (all three languages unless --title-kk/-ru/-en are given).") var title: String
        @Option(name: .customLong("title-kk")) var titleKK: String?
        @Option(name: .customLong("title-ru")) var titleRU: String?
        @Option(name: .customLong("title-en")) var titleEN: String?
        @Option(help: "Its territory (KATO code); the whole country when not given.") var territory: String?
        @Option(help: "The discussion it belongs to (as in /discussions/N).") var discussion: Int?
        @Option(help: "First day it is shown (YYYY-MM-DD).") var opens: String
        @Option(help: "Last day of voting (YYYY-MM-DD).") var closes: String
        @Argument(help: "The folder of the export.") var directory: String

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            let new = ServerCommands.NewConversation(
                title: LocalizedName(kk: titleKK ?? title, ru: titleRU ?? title, en: titleEN ?? title), territory: territory,
                discussion: discussion, opens: opens, closes: closes)
            print(try await ServerCommands.importPolis(config, directory: directory, new: new, progress: ServerCommands.note))
        }
    }

    struct Referendum: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a referendum's protocols by territory from CSV, all or nothing; a territory given again is replaced.")
        @OptionGroup var options: ServerOptions
        @Option(help: "The referendum's number (as in its address, /referendums/N).") var referendum: Int?
        @Option(help: "A new referendum's title (all three languages).") var title: String?
        @Option(help: "A new referendum's question (all three languages).") var question: String?
        @Option(name: .customLong("held-on"), help: "A new referendum's day (YYYY-MM-DD).") var heldOn: String?
        @Option(help: "constitution (also a majority in two thirds of the regions) or republican.") var kind: String = "republican"
        @Argument(help: "CSV with the columns kato,eligible,participants,yes,no,invalid.") var file: String

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            var new: ServerCommands.NewReferendum?
            if referendum == nil, let title, let question, let heldOn {
                new = ServerCommands.NewReferendum(title: LocalizedName(kk: title, ru: title, en: title),
                                                   question: LocalizedName(kk: question, ru: question, en: question),
                                                   heldOn: heldOn, kind: kind)
            }
            print(try await ServerCommands.importReferendum(config, referendum: referendum, new: new, file: file))
        }
    }

    struct Budget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import budget lines or transfers from CSV, all or nothing; a period imported again is replaced.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The CSV file; its columns are listed in docs/BUDGETS.md.") var file: String

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            print(try await ServerCommands.importBudget(config, file: file))
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an action plan (sources, instructions, assignments) from CSV, all or nothing.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The CSV file; its columns are listed in docs/INSTRUCTIONS.md.") var file: String

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            print(try await ServerCommands.importPlan(config, file: file))
        }
    }

    struct Territories: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the territory tree from a KATO snapshot (all or nothing).")
        @OptionGroup var options: ServerOptions
        @Option(help: "KATO file, id;parent_id;code;name (default: the bundled 2022 snapshot).") var classifier: String?
        @Option(help: "regions.csv with names in three languages (default: bundled).") var regions: String?
        @Option(help: "territory-names.csv with better Kazakh/English names (default: bundled).") var names: String?
        @Option(help: "kato,population[,population_note] for any territory, laid over the regions' figures (default: none).")
        var population: String?

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            let count = try await ServerCommands.importTerritories(config, classifier: classifier, regions: regions,
                                                                   names: names, population: population)
            print("imported \(count) territories")
        }
    }
}

struct AppealsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "appeals", abstract: "Citizens' appeals.", subcommands: [Regroup.self])

    struct Regroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Group every appeal anew by the similarity of its text (within its district and topic).")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            print(try await ServerCommands.regroupAppeals(config, progress: ServerCommands.note))
        }
    }
}

struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "poll", abstract: "Consultative polls.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a consultative poll: one vote per account while it is open, results by region.")
        @OptionGroup var options: ServerOptions
        @Option(help: "The question (all three languages unless --title-kk/-ru/-en are given).") var title: String
        @Option(name: .customLong("title-kk")) var titleKK: String?
        @Option(name: .customLong("title-ru")) var titleRU: String?
        @Option(name: .customLong("title-en")) var titleEN: String?
        @Option(name: .customLong("option"), help: "An answer, \"kk|ru|en\" or one text for all three; give two or more.")
        var answers: [String] = []
        @Option(help: "Its territory (KATO code); the whole country when not given.") var territory: String?
        @Option(help: "First day of voting (YYYY-MM-DD).") var opens: String
        @Option(help: "Last day of voting (YYYY-MM-DD).") var closes: String

        func run() async throws {
            let config = try options.configuration()
            ServerCommands.bootstrapLogging(config.logLevel)
            let parsed = try answers.map { text -> LocalizedName in
                let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                switch parts.count {
                case 1: return LocalizedName(kk: parts[0], ru: parts[0], en: parts[0])
                case 3: return LocalizedName(kk: parts[0], ru: parts[1], en: parts[2])
                default: throw CommandFailure(description: "aimaq poll add: --option \"\(text)\" is one text or \"kk|ru|en\"")
                }
            }
            print(try await ServerCommands.addPoll(
                config, title: LocalizedName(kk: titleKK ?? title, ru: titleRU ?? title, en: titleEN ?? title), options: parsed,
                territory: territory, opens: opens, closes: closes))
        }
    }
}
