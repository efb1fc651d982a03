import Foundation

/// A conversation in the Polis export format: a folder with `votes.csv` and `comments.csv`
/// (and, optionally, Polis's own `participants-votes.csv`).
///
/// - `votes.csv`: `timestamp, comment-id, voter-id, vote` (agree = 1, disagree = -1, pass = 0);
///   the full history, so a pair may appear several times and the latest timestamp wins.
/// - `comments.csv`: `comment-id, comment-body, moderated` (-1 = moderated out), and `author-id`.
/// - `participants-votes.csv` (optional): `participant, group-id`, the groups Polis computed.
///
/// Columns are found by their header names, so extra or reordered columns are fine.
public struct PolisExport: Sendable {
    /// A statement ("comment" in Polis).
    public struct Statement: Sendable, Hashable, Codable {
        public var id: Int
        public var authorID: Int?
        public var text: String
        /// 1 accepted, 0 not yet moderated, -1 moderated out.
        public var moderation: Int

        public init(id: Int, authorID: Int?, text: String, moderation: Int) {
            self.id = id
            self.authorID = authorID
            self.text = text
            self.moderation = moderation
        }
    }

    /// Every vote event, in file order (with its timestamp).
    public var votes: [Vote]
    public var statements: [Statement]
    /// Polis's group of each participant who had one, by participant identifier; empty when the
    /// folder has no `participants-votes.csv`.
    public var referenceGroups: [Int: Int]

    public init(votes: [Vote], statements: [Statement], referenceGroups: [Int: Int] = [:]) {
        self.votes = votes
        self.statements = statements
        self.referenceGroups = referenceGroups
    }

    /// Statements removed by moderation.
    public var moderatedOutStatementIDs: Set<Int> {
        Set(statements.lazy.filter { $0.moderation < 0 }.map(\.id))
    }

    /// The vote matrix: latest vote per pair, moderated-out statements excluded.
    public func voteMatrix() -> VoteMatrix {
        VoteMatrix(votes: votes, moderatedOut: moderatedOutStatementIDs)
    }

    /// Statement texts by identifier.
    public var statementTexts: [Int: String] {
        Dictionary(statements.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: Loading

    /// Loads `votes.csv` and `comments.csv` (both required) and `participants-votes.csv` (when present).
    public static func load(from directory: URL) throws(PolisExportError) -> PolisExport {
        let votes = try parseVotes(try read(directory, "votes.csv"))
        let statements = try parseStatements(try read(directory, "comments.csv"))
        var groups: [Int: Int] = [:]
        let participantsFile = directory.appendingPathComponent("participants-votes.csv")
        if FileManager.default.fileExists(atPath: participantsFile.path) {
            groups = try parseReferenceGroups(try read(directory, "participants-votes.csv"))
        }
        return PolisExport(votes: votes, statements: statements, referenceGroups: groups)
    }

    /// Parses the contents of a `votes.csv`.
    public static func parseVotes(_ bytes: [UInt8], file: String = "votes.csv") throws(PolisExportError) -> [Vote] {
        try VoteFileReader.parse(bytes, file: file)
    }

    /// Parses the contents of a `comments.csv`.
    public static func parseStatements(_ bytes: [UInt8], file: String = "comments.csv") throws(PolisExportError) -> [Statement] {
        var table = try Table(bytes: bytes, file: file)
        let id = try table.column("comment-id")
        let text = try table.column("comment-body")
        let moderated = try table.column("moderated")
        let author = table.optionalColumn("author-id")
        var statements: [Statement] = []
        while let record = try table.next() {
            var authorID: Int?
            if let author, !record.fields[author].trimmingCharacters(in: .whitespaces).isEmpty {
                authorID = try record.integer(author, "author-id")
            }
            statements.append(Statement(id: try record.integer(id, "comment-id"), authorID: authorID,
                                        text: record.fields[text],
                                        moderation: try record.integer(moderated, "moderated")))
        }
        return statements
    }

    /// Parses the participant and group columns of a `participants-votes.csv`; participants with an
    /// empty group are left out.
    public static func parseReferenceGroups(_ bytes: [UInt8],
                                            file: String = "participants-votes.csv") throws(PolisExportError) -> [Int: Int] {
        var table = try Table(bytes: bytes, file: file)
        let participant = try table.column("participant")
        let group = try table.column("group-id")
        var groups: [Int: Int] = [:]
        while let record = try table.next() {
            guard !record.fields[group].trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            groups[try record.integer(participant, "participant")] = try record.integer(group, "group-id")
        }
        return groups
    }

    private static func read(_ directory: URL, _ name: String) throws(PolisExportError) -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PolisExportError(file: name, line: nil, column: nil,
                                   message: "cannot read \(url.path) (missing or unreadable)")
        }
        return [UInt8](data)
    }

    // MARK: Writing

    /// Writes a vote matrix as `votes.csv` and `comments.csv` in the Polis export format, one vote
    /// per pair with increasing timestamps, so that other tools can run on the same data.
    /// Statements get the text "Statement N" unless `statementTexts` has one. When `referenceGroups`
    /// is given, a `participants-votes.csv` with the columns `participant, group-id, n-votes` is
    /// written too, so that a later run can report its agreement with those groups.
    public static func write(_ matrix: VoteMatrix, to directory: URL,
                             statementTexts: [Int: String] = [:],
                             referenceGroups: [Int: Int]? = nil) throws(PolisExportError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let statementIDs = matrix.statementIDs
            var agrees = [Int](repeating: 0, count: statementIDs.count)
            var disagrees = [Int](repeating: 0, count: statementIDs.count)

            let votes = try BufferedFile(directory.appendingPathComponent("votes.csv"))
            votes.write("timestamp,datetime,comment-id,voter-id,vote\n")
            var timestamp = 1_700_000_000_000
            let participantIDs = matrix.participantIDs
            for row in 0 ..< matrix.participantCount {
                for position in matrix.rowStart[row] ..< matrix.rowStart[row + 1] {
                    let column = Int(matrix.columns[position])
                    let value = matrix.values[position]
                    if value == 1 { agrees[column] += 1 } else if value == -1 { disagrees[column] += 1 }
                    votes.write("\(timestamp),,\(statementIDs[column]),\(participantIDs[row]),\(value)\n")
                    timestamp += 1
                }
            }
            try votes.close()

            let comments = try BufferedFile(directory.appendingPathComponent("comments.csv"))
            comments.write("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n")
            for (column, id) in statementIDs.enumerated() {
                let text = statementTexts[id] ?? "Statement \(id)"
                let quoted = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                comments.write("1700000000000,,\(id),0,\(agrees[column]),\(disagrees[column]),1,\(quoted)\n")
            }
            try comments.close()

            if let referenceGroups {
                let participants = try BufferedFile(directory.appendingPathComponent("participants-votes.csv"))
                participants.write("participant,group-id,n-votes\n")
                for (row, id) in participantIDs.enumerated() {
                    let group = referenceGroups[id].map(String.init) ?? ""
                    participants.write("\(id),\(group),\(matrix.rowStart[row + 1] - matrix.rowStart[row])\n")
                }
                try participants.close()
            }
        } catch let error as PolisExportError {
            throw error
        } catch {
            throw PolisExportError(file: directory.path, line: nil, column: nil,
                                   message: "cannot write: \(error.localizedDescription)")
        }
    }
}

/// A problem in an export folder, naming the file, and where it applies the line and column.
public struct PolisExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?
    public var message: String

    public init(file: String, line: Int?, column: String?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ", line \(line)" }
        if let column { place += ", column \(column)" }
        return "\(place): \(message)"
    }
}

/// A CSV file read record by record, with columns found by header name.
private struct Table {
    let file: String
    private var reader: CSVReader
    private let header: [String]

    struct Record {
        let file: String
        let fields: [String]
        let line: Int
        let header: [String]

        func integer(_ column: Int, _ name: String) throws(PolisExportError) -> Int {
            let text = fields[column].trimmingCharacters(in: .whitespaces)
            guard let value = Int(text) else {
                throw error(column, "expected a whole number, found \"\(text)\"")
            }
            return value
        }

        func error(_ column: Int, _ message: String) -> PolisExportError {
            PolisExportError(file: file, line: line, column: header[column], message: message)
        }
    }

    init(bytes: [UInt8], file: String) throws(PolisExportError) {
        self.file = file
        reader = CSVReader(bytes: bytes)
        let first: CSVReader.Record?
        do throws(CSVError) {
            first = try reader.nextRecord()
        } catch {
            throw PolisExportError(file: file, line: error.line, column: nil, message: error.message)
        }
        guard let first else {
            throw PolisExportError(file: file, line: 1, column: nil, message: "the file is empty")
        }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func column(_ name: String) throws(PolisExportError) -> Int {
        guard let index = optionalColumn(name) else {
            throw PolisExportError(file: file, line: 1, column: name, message: "missing column \"\(name)\" in the header")
        }
        return index
    }

    func optionalColumn(_ name: String) -> Int? { header.firstIndex(of: name) }

    mutating func next() throws(PolisExportError) -> Record? {
        let record: CSVReader.Record?
        do throws(CSVError) {
            record = try reader.nextRecord()
        } catch {
            let column = error.field <= header.count ? header[error.field - 1] : nil
            throw PolisExportError(file: file, line: error.line, column: column, message: error.message)
        }
        guard let record else { return nil }
        guard record.fields.count == header.count else {
            throw PolisExportError(file: file, line: record.line, column: nil,
                                   message: "\(record.fields.count) fields where the header has \(header.count)")
        }
        return Record(file: file, fields: record.fields, line: record.line, header: header)
    }
}

/// Appends text to a new file through a large buffer.
private final class BufferedFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20

    init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw PolisExportError(file: url.path, line: nil, column: nil, message: "cannot create the file")
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushSize { flush() }
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}
