import AimaqCore
import Fluent
import Foundation

final class SourceDocument: Model, @unchecked Sendable {
    static let schema = "source_documents"
    @ID(custom: "id") var id: Int?
    @Field(key: "kind") var kind: String
    @Field(key: "date") var date: String
    @OptionalField(key: "number") var number: String?
    @Field(key: "title") var title: String
    @OptionalField(key: "issuer_body_id") var issuerBodyID: Int?
    init() {}
}

final class Instruction: Model, @unchecked Sendable {
    static let schema = "instructions"
    @ID(custom: "id") var id: Int?
    @Field(key: "source_id") var sourceID: Int
    @Field(key: "point") var point: String
    @Field(key: "text") var text: String
    @Field(key: "category") var category: String
    @OptionalField(key: "lead_body_id") var leadBodyID: Int?
    @OptionalField(key: "co_executors") var coExecutors: String?
    @Field(key: "deadline") var deadline: String
    @Field(key: "period") var period: String
    @OptionalField(key: "completion_form") var completionForm: String?
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "weight") var weight: Double
    init() {}
}

final class IndicatorRecord: Model, @unchecked Sendable {
    static let schema = "instruction_indicators"
    @ID(custom: "id") var id: Int?
    @Field(key: "instruction_id") var instructionID: Int
    @Field(key: "name") var name: String
    @Field(key: "unit") var unit: String
    @Field(key: "target") var target: Double
    @Field(key: "lower_is_better") var lowerIsBetter: Bool
    init() {}
}

final class Assignment: Model, @unchecked Sendable {
    static let schema = "assignments"
    @ID(custom: "id") var id: Int?
    @Field(key: "instruction_id") var instructionID: Int
    @Field(key: "territory_id") var territoryID: Int
    @OptionalField(key: "body_id") var bodyID: Int?
    @OptionalField(key: "parent_id") var parentID: Int?
    @Field(key: "deadline") var deadline: String
    @Field(key: "status") var statusName: String
    @Field(key: "weight") var weight: Double
    @OptionalField(key: "completion") var completion: Double?
    @Field(key: "evidence_public") var evidencePublic: Bool
    @Field(key: "updated_at") var updatedAt: Int64
    /// Copies of the instruction's visibility and category, for the register's filters.
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "category") var category: String
    init() {}

    var status: AssignmentStatus { AssignmentStatus(rawValue: statusName) ?? .registered }
    var territory: KATOCode? { try? KATOCode(number: territoryID) }

    var auditSnapshot: String {
        "{\"status\":\(jsonString(statusName)),\"deadline\":\(jsonString(deadline)),\"territory\":\(territoryID),"
            + "\"body\":\(bodyID.map(String.init) ?? "null"),\"completion\":\(completion.map { String($0) } ?? "null")}"
    }
}

final class AssignmentEventRecord: Model, @unchecked Sendable {
    static let schema = "assignment_events"
    @ID(custom: "id") var id: Int?
    @Field(key: "assignment_id") var assignmentID: Int
    @OptionalField(key: "instruction_id") var instructionID: Int?
    @Field(key: "at") var at: Int64
    @Field(key: "actor") var actor: String
    @OptionalField(key: "actor_role") var actorRole: String?
    @Field(key: "event") var event: String
    @OptionalField(key: "from_status") var fromStatus: String?
    @Field(key: "to_status") var toStatus: String
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "deadline") var deadline: String?
    init() {}
}

final class ReportRecord: Model, @unchecked Sendable {
    static let schema = "reports"
    @ID(custom: "id") var id: Int?
    @Field(key: "assignment_id") var assignmentID: Int
    @Field(key: "period") var period: String
    @Field(key: "text") var text: String
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "author") var author: String
    @OptionalField(key: "author_role") var authorRole: String?
    @Field(key: "submitted_at") var submittedAt: Int64
    @Field(key: "state") var stateName: String
    init() {}

    var state: ReportState {
        get { ReportState(rawValue: stateName) ?? .submitted }
        set { stateName = newValue.rawValue }
    }
}

final class ReportValue: Model, @unchecked Sendable {
    static let schema = "report_values"
    @ID(custom: "id") var id: Int?
    @Field(key: "report_id") var reportID: Int
    @Field(key: "indicator_id") var indicatorID: Int
    @Field(key: "value") var value: Double
    init() {}
}

final class EvidenceFile: Model, @unchecked Sendable {
    static let schema = "evidence_files"
    @ID(custom: "id") var id: Int?
    @Field(key: "report_id") var reportID: Int
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "stored_name") var storedName: String
    @Field(key: "sha256") var sha256: String
    init() {}
}

final class ReviewRecord: Model, @unchecked Sendable {
    static let schema = "reviews"
    @ID(custom: "id") var id: Int?
    @Field(key: "report_id") var reportID: Int
    @OptionalField(key: "reviewer_id") var reviewerID: UUID?
    @Field(key: "reviewer") var reviewer: String
    @OptionalField(key: "reviewer_role") var reviewerRole: String?
    @Field(key: "decision") var decision: String
    @OptionalField(key: "remarks") var remarks: String?
    @Field(key: "at") var at: Int64
    init() {}
}

final class NotificationRecord: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(custom: "id") var id: Int?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "assignment_id") var assignmentID: Int?
    @OptionalField(key: "appeal_id") var appealID: Int?
    @OptionalField(key: "meeting_id") var meetingID: Int?
    @Field(key: "created_at") var createdAt: Int64
    @OptionalField(key: "read_at") var readAt: Int64?
    @OptionalField(key: "dedupe_key") var dedupeKey: String?
    init() {}
}

final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(custom: "id") var id: Int?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Int64
    @OptionalField(key: "last_used_at") var lastUsedAt: Int64?
    init() {}
}

