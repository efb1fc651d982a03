import AimaqCore
import Fluent

final class BodyRecord: Model, @unchecked Sendable {
    static let schema = "bodies"

    @ID(custom: "id") var id: Int?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "territory_id") var territoryID: Int?
    @Field(key: "name_kk") var nameKK: String
    @Field(key: "name_ru") var nameRU: String
    @Field(key: "name_en") var nameEN: String
    @OptionalField(key: "valid_from") var validFrom: String?
    @OptionalField(key: "valid_to") var validTo: String?
    @OptionalField(key: "seats") var seats: Int?
    @OptionalField(key: "parent_id") var parentID: Int?
    @OptionalField(key: "remit") var remit: String?

    init() {}
}

final class BodyMemberRecord: Model, @unchecked Sendable {
    static let schema = "body_members"

    @ID(custom: "id") var id: Int?
    @Field(key: "body_id") var bodyID: Int
    @Field(key: "person_name") var personName: String
    @Field(key: "role") var role: String
    @OptionalField(key: "commission") var commission: String?
    @OptionalField(key: "term_from") var termFrom: String?
    @OptionalField(key: "term_to") var termTo: String?

    init() {}
}
