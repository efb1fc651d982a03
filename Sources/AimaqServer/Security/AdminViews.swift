import AimaqCore
import Foundation
import Vapor

enum AdminViews {
    static func users(_ accounts: [Account], form: AdminController.NewAccount, errors: [String: String],
                      _ page: PageContext) -> Node {
        let language = page.language
        let tree = page.tree
        func field(_ name: String, label: String, type: String, value: String?, autocomplete: String? = nil) -> Node {
            Self.field(name, label: label, type: type, value: value, autocomplete: autocomplete, errors: errors)
        }
        return fragment {
            el("h1") { page.t("users.title") }
            errorSummary(errors, page)
            el("table", .class("list")) {
                el("caption") { page.t("users.count", ["n": String(accounts.count)]) }
                el("thead") {
                    el("tr") {
                        el("th", Attribute("scope", "col")) { page.t("account.email") }
                        el("th", Attribute("scope", "col")) { page.t("account.name") }
                        el("th", Attribute("scope", "col")) { page.t("account.role") }
                        el("th", Attribute("scope", "col")) { page.t("account.scope") }
                        el("th", Attribute("scope", "col")) { page.t("users.status") }
                    }
                }
                el("tbody") {
                    for account in accounts {
                        el("tr") {
                            el("td") { account.email }
                            el("td") { el("a", .href(SiteURL.adminUser(.value(account.id ?? UUID())).path)) { account.displayName } }
                            el("td") { page.t("role.\(account.roleName)") }
                            el("td") {
                                account.scope.code.flatMap { tree[$0]?.name[language] } ?? page.t("country.name")
                            }
                            el("td") {
                                el("form", Attribute("method", "post"), .class("inline"),
                                   Attribute("action", SiteURL.adminUserActive(.value(account.id ?? UUID())).path)) {
                                    csrfField(page)
                                    void("input", .type("hidden"), .name("active"), .value(account.active ? "false" : "true"))
                                    account.active ? page.t("users.active") : page.t("users.inactive")
                                    " "
                                    el("button", .type("submit"), .class("small")) {
                                        account.active ? page.t("users.deactivate") : page.t("users.activate")
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("h2", .id("new-account")) { page.t("users.new") }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.adminUsers.path), .class("stack"),
               .aria("labelledby", "new-account")) {
                csrfField(page)
                field("email", label: page.t("account.email"), type: "email", value: form.email, autocomplete: "off")
                field("name", label: page.t("account.name"), type: "text", value: form.name)
                placementFields(form: form, errors: errors, page)
                el("p", .class("hint")) { page.t("users.linkHint") }
                el("button", .type("submit")) { page.t("users.create") }
            }
        }
    }

    static func field(_ name: String, label: String, type: String, value: String?, autocomplete: String? = nil,
                      errors: [String: String]) -> Node {
        let errorID = "\(name)-error"
        var attributes: [Attribute] = [.id(name), .name(name), .type(type), .value(value ?? "")]
        if let autocomplete { attributes.append(Attribute("autocomplete", autocomplete)) }
        if errors[name] != nil {
            attributes.append(.aria("invalid", "true"))
            attributes.append(.aria("describedby", errorID))
        }
        return fragment {
            el("label", Attribute("for", name)) { label }
            Node.void("input", attributes)
            if let message = errors[name] { el("p", .class("field-error"), .id(errorID)) { message } }
        }
    }

    static func errorSummary(_ errors: [String: String], _ page: PageContext) -> Node {
        guard !errors.isEmpty else { return fragment {} }
        return el("div", .class("error-message"), Attribute("role", "alert")) {
            el("p") { page.t("form.hasErrors") }
            el("ul") {
                for key in errors.keys.sorted() {
                    el("li") { el("a", .href("#\(key)")) { errors[key] ?? "" } }
                }
            }
        }
    }

    /// Role, territory and body: the same fields for a new account and for an existing one.
    static func placementFields(form: AdminController.NewAccount, errors: [String: String], _ page: PageContext) -> Node {
        fragment {
            el("label", Attribute("for", "role")) { page.t("account.role") }
            el("select", .id("role"), .name("role")) {
                for role in Role.allCases {
                    Components.option(role.rawValue, page.t("role.\(role.rawValue)"), selected: form.role == role.rawValue)
                }
            }
            if let message = errors["role"] { el("p", .class("field-error")) { message } }
            field("territory", label: page.t("users.territoryHint"), type: "text", value: form.territory, errors: errors)
            el("label", Attribute("for", "body")) { page.t("users.body") }
            el("select", .id("body"), .name("body"), .aria("describedby", "body-hint")) {
                Components.option("none", page.t("users.body.none"), selected: (form.body ?? "none") == "none")
                Components.option("akimat", page.t("users.body.akimat"), selected: form.body == "akimat")
                for template in (try? ReferenceData.departmentTemplates()) ?? [] {
                    Components.option(template.key, template.name[page.language], selected: form.body == template.key)
                }
                // A body bound before (by number) stays choosable.
                if let number = form.body.flatMap(Int.init), let body = page.bodies.body(number) {
                    Components.option(String(number), body.name[page.language], selected: true)
                }
            }
            el("p", .class("hint"), .id("body-hint")) { page.t("users.body.hint") }
            if let message = errors["body"] { el("p", .class("field-error")) { message } }
        }
    }

    /// One account: its role, territory and body to change, and a new password link.
    static func editUser(_ account: Account, form: AdminController.NewAccount, errors: [String: String],
                         _ page: PageContext) -> Node {
        let id = account.id ?? UUID()
        return fragment {
            el("h1") { account.displayName }
            el("p", .class("meta")) { account.email }
            errorSummary(errors, page)
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.adminUser(.value(id)).path), .class("stack"),
               .aria("label", page.t("users.edit"))) {
                csrfField(page)
                placementFields(form: form, errors: errors, page)
                el("button", .type("submit")) { page.t("users.save") }
            }
            el("h2", .id("link-heading")) { page.t("users.newLink") }
            el("p") { page.t("users.newLinkLead") }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.adminUserLink(.value(id)).path),
               .aria("labelledby", "link-heading")) {
                csrfField(page)
                el("button", .type("submit"), .class("secondary")) { page.t("users.makeLink") }
            }
            el("h2", .id("twofa-heading")) { page.t("twofa.title") }
            el("p") { page.t(account.totpSecret == nil ? "users.twofaOff" : "users.twofaOn") }
            if account.totpSecret != nil {
                el("form", Attribute("method", "post"), Attribute("action", SiteURL.adminUserSecondFactor(.value(id)).path),
                   .aria("labelledby", "twofa-heading")) {
                    csrfField(page)
                    el("button", .type("submit"), .class("secondary")) { page.t("users.twofaReset") }
                }
            }
        }
    }

    static func audit(_ records: [AuditRecord], total: Int, paging: Paging, _ page: PageContext) -> Node {
        fragment {
            el("h1") { page.t("audit.title") }
            el("p") { page.t("audit.lead", ["n": NumberFormat.integer(total, page.language)]) }
            el("table", .class("list audit")) {
                el("thead") {
                    el("tr") {
                        for key in ["audit.sequence", "audit.time", "audit.actor", "audit.action", "audit.entity", "audit.change", "audit.hash"] {
                            Components.th(page.t(key))
                        }
                    }
                }
                el("tbody") {
                    for record in records {
                        el("tr") {
                            el("td", .class("num")) { String(record.sequence) }
                            el("td") { Components.time(record.timestamp, page) }
                            el("td") { record.actor }
                            el("td") { record.action }
                            el("td") { "\(record.entity) \(record.entityID)" }
                            el("td") {
                                if let before = record.before { el("div") { el("span", .class("meta")) { page.t("audit.before") + " " }; el("code") { before } } }
                                if let after = record.after { el("div") { el("span", .class("meta")) { page.t("audit.after") + " " }; el("code") { after } } }
                            }
                            el("td") { el("code", Attribute("title", record.hash)) { String(record.hash.prefix(12)) } }
                        }
                    }
                }
            }
            Components.pager(total: total, paging: paging, page) {
                SiteURL.adminAudit.link((.page, String($0)), (.per, String(paging.per)))
            }
        }
    }
}
