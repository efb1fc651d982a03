import Foundation
import Testing
@testable import OpinionMap

@Suite struct CSVReaderTests {
    @Test func quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws {
        var reader = CSVReader(text: "id,body\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\nnext line\"\n\n3,plain\n")
        let records = try reader.readAll()
        #expect(records.map(\.fields) == [
            ["id", "body"], ["1", "a, b"], ["2", "say \"hi\"\nnext line"], ["3", "plain"],
        ])
        #expect(records.map(\.line) == [1, 2, 3, 6])
    }

    @Test func emptyFieldsAndAByteOrderMarkAreHandled() throws {
        var reader = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("a,,c\n,,\n".utf8))
        #expect(try reader.readAll().map(\.fields) == [["a", "", "c"], ["", "", ""]])
    }

    @Test func anUnclosedQuoteIsReportedWhereItOpens() {
        var reader = CSVReader(text: "a,b\n1,\"never closed\n2,3\n")
        #expect(throws: CSVError(line: 2, field: 2, message: "a quoted field is never closed")) {
            try reader.readAll()
        }
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        var reader = CSVReader(text: "\"a\"b,c\n")
        #expect(throws: CSVError(line: 1, field: 1, message: "unexpected text after a closing quote")) {
            try reader.readAll()
        }
    }
}

@Suite struct PolisExportTests {
    @Test func columnsAreFoundByHeaderName() throws {
        let votes = try PolisExport.parseVotes(Array("""
            vote,voter-id,comment-id,timestamp
            1,4,2,100
            -1,4,2,50
            0,5,2,70
            """.utf8))
        #expect(votes == [
            Vote(participant: 4, statement: 2, value: .agree, timestamp: 100),
            Vote(participant: 4, statement: 2, value: .disagree, timestamp: 50),
            Vote(participant: 5, statement: 2, value: .pass, timestamp: 70),
        ])
        let export = PolisExport(votes: votes, statements: [])
        #expect(export.voteMatrix().value(participant: 4, statement: 2) == .agree)
    }

    @Test func votesReadFromBytesAsTheGeneralReaderWould() throws {
        // A byte-order mark, CRLF line ends, a quoted date with commas and a doubled quote,
        // spaces around numbers, a blank line and no line end at the end.
        let text = "\u{FEFF}timestamp,datetime,comment-id,voter-id,vote\r\n"
            + "100,\"Mon, 2 Jan 2023, \"\"noon\"\"\",2, 4 ,1\r\n\r\n"
            + "101,,3,4,-1\r\n"
            + "102,\"two\nlines\",3,5,0"
        let votes = try PolisExport.parseVotes(Array(text.utf8))
        #expect(votes == [
            Vote(participant: 4, statement: 2, value: .agree, timestamp: 100),
            Vote(participant: 4, statement: 3, value: .disagree, timestamp: 101),
            Vote(participant: 5, statement: 3, value: .pass, timestamp: 102),
        ])
        // Lines are counted through quoted line breaks.
        #expect(throws: PolisExportError(file: "votes.csv", line: 4, column: "voter-id",
                                         message: "expected a whole number, found \"x\"")) {
            try PolisExport.parseVotes(Array("timestamp,datetime,comment-id,voter-id,vote\n1,\"a\nb\",2,3,1\n2,,2,x,1\n".utf8))
        }
        #expect(throws: PolisExportError(file: "votes.csv", line: 2, column: "datetime",
                                         message: "a quoted field is never closed")) {
            try PolisExport.parseVotes(Array("timestamp,datetime,comment-id,voter-id,vote\n1,\"open,2,3,1\n".utf8))
        }
    }

    @Test func commentsKeepTheirTextAndModeration() throws {
        let statements = try PolisExport.parseStatements(Array("""
            timestamp,comment-id,author-id,moderated,comment-body
            1,7,3,-1,"Rude, and off topic"
            2,8,,1,"Two
            lines"
            """.utf8))
        #expect(statements == [
            PolisExport.Statement(id: 7, authorID: 3, text: "Rude, and off topic", moderation: -1),
            PolisExport.Statement(id: 8, authorID: nil, text: "Two\nlines", moderation: 1),
        ])
        #expect(PolisExport(votes: [], statements: statements).moderatedOutStatementIDs == [7])
    }

    @Test func aBadVoteNamesTheFileLineAndColumn() {
        let bytes = Array("timestamp,comment-id,voter-id,vote\n1,2,3,1\n1,2,3,yes\n".utf8)
        #expect(throws: PolisExportError(file: "votes.csv", line: 3, column: "vote",
                                         message: "expected a whole number, found \"yes\"")) {
            try PolisExport.parseVotes(bytes)
        }
        let outOfRange = Array("timestamp,comment-id,voter-id,vote\n1,2,3,2\n".utf8)
        #expect(throws: PolisExportError.self) { try PolisExport.parseVotes(outOfRange) }
    }

    @Test func aMissingColumnOrAWrongFieldCountIsReported() {
        #expect(throws: PolisExportError(file: "votes.csv", line: 1, column: "vote",
                                         message: "missing column \"vote\" in the header")) {
            try PolisExport.parseVotes(Array("timestamp,comment-id,voter-id\n1,2,3\n".utf8))
        }
        #expect(throws: PolisExportError(file: "votes.csv", line: 2, column: nil,
                                         message: "3 fields where the header has 4")) {
            try PolisExport.parseVotes(Array("timestamp,comment-id,voter-id,vote\n1,2,3\n".utf8))
        }
    }

    @Test func aMissingFileIsReportedByName() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("om-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let error = #expect(throws: PolisExportError.self) { try PolisExport.load(from: empty) }
        #expect(error?.file == "votes.csv")
    }

    @Test func writtenExportsLoadBackToTheSameVotesAndGroups() throws {
        let conversation = PlantedConversation.generate(participants: 60, statements: 12, density: 0.5,
                                                        groups: 2, seed: 5)
        let matrix = conversation.matrix
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("om-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let planted = Dictionary(uniqueKeysWithValues: matrix.participantIDs.map { ($0, conversation.plantedGroups[$0]) })
        try PolisExport.write(matrix, to: folder, statementTexts: [0: "Quoted \"text\", with a comma"],
                              referenceGroups: planted)

        let loaded = try PolisExport.load(from: folder)
        #expect(loaded.voteMatrix().allVotes() == matrix.allVotes())
        #expect(loaded.referenceGroups == planted)
        #expect(loaded.statementTexts[0] == "Quoted \"text\", with a comma")
        #expect(loaded.statementTexts[1] == "Statement 1")
        #expect(loaded.moderatedOutStatementIDs.isEmpty)
    }

    @Test func theRealConversationsLoad() throws {
        let export = try PolisExport.load(from: polisFixture("15-per-hour-seattle"))
        #expect(export.votes.count == 2_995)
        #expect(export.statements.count == 54)
        #expect(export.moderatedOutStatementIDs.count == 23)
        #expect(export.referenceGroups.count == 138)
        let matrix = export.voteMatrix()
        #expect(matrix.statementCount == 31)
        #expect(matrix.participantCount == 339)
    }
}
