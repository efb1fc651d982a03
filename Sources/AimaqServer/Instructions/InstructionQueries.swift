import AimaqCore
import Fluent
import SQLKit
import Vapor

/// Detail reads for the instruction and assignment pages: a fixed number of queries each.
enum InstructionQueries {
    struct InstructionDetail {
        var instruction: Instruction
        var source: SourceDocument
        var indicators: [IndicatorRecord]
        var assignments: [Assignment]
        var history: [AssignmentEventRecord]
    }

    static func instruction(_ id: Int, on db: any Database) async throws -> InstructionDetail? {
        guard let instruction = try await Instruction.find(id, on: db),
              let source = try await SourceDocument.find(instruction.sourceID, on: db) else { return nil }
        let indicators = try await IndicatorRecord.query(on: db).filter(\.$instructionID == id).sort(\.$id).all()
        // Sorted here: asking SQLite to order by territory lets it walk the territory index
        // over every assignment instead of using the instruction index.
        let assignments = try await Assignment.query(on: db).filter(\.$instructionID == id).limit(5_000).all()
            .sorted { $0.territoryID < $1.territoryID }
        let history = try await AssignmentEventRecord.query(on: db).filter(\.$instructionID == id)
            .sort(\.$at, .descending).limit(50).all()
        return InstructionDetail(instruction: instruction, source: source, indicators: indicators,
                                 assignments: assignments, history: history)
    }

    struct ReportDetail {
        var report: ReportRecord
        var values: [ReportValue]
        var files: [EvidenceFile]
        var reviews: [ReviewRecord]
    }

    struct AssignmentDetail {
        var assignment: Assignment
        var instruction: Instruction
        var source: SourceDocument
        var indicators: [IndicatorRecord]
        var reports: [ReportDetail]
        var history: [AssignmentEventRecord]
        var children: [Assignment]
    }

    static func assignment(_ id: Int, on db: any Database) async throws -> AssignmentDetail? {
        guard let assignment = try await Assignment.find(id, on: db),
              let instruction = try await Instruction.find(assignment.instructionID, on: db),
              let source = try await SourceDocument.find(instruction.sourceID, on: db) else { return nil }
        let indicators = try await IndicatorRecord.query(on: db).filter(\.$instructionID == instruction.id!).sort(\.$id).all()
        let reports = try await ReportRecord.query(on: db).filter(\.$assignmentID == id).sort(\.$submittedAt, .descending).all()
        let reportIDs = reports.compactMap(\.id)
        let values = reportIDs.isEmpty ? [] : try await ReportValue.query(on: db).filter(\.$reportID ~~ reportIDs).all()
        let files = reportIDs.isEmpty ? [] : try await EvidenceFile.query(on: db).filter(\.$reportID ~~ reportIDs).all()
        let reviews = reportIDs.isEmpty ? [] : try await ReviewRecord.query(on: db).filter(\.$reportID ~~ reportIDs).sort(\.$at).all()
        let history = try await AssignmentEventRecord.query(on: db).filter(\.$assignmentID == id).sort(\.$at).sort(\.$id).all()
        let children = try await Assignment.query(on: db).filter(\.$parentID == id).sort(\.$territoryID).all()
        return AssignmentDetail(
            assignment: assignment, instruction: instruction, source: source, indicators: indicators,
            reports: reports.map { report in
                ReportDetail(report: report, values: values.filter { $0.reportID == report.id },
                             files: files.filter { $0.reportID == report.id },
                             reviews: reviews.filter { $0.reportID == report.id })
            },
            history: history, children: children)
    }
}
