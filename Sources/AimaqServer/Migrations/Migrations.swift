import Fluent
import Vapor

enum AimaqMigrations {
    /// Every migration in order. Never edit one that has shipped; add the next.
    static func register(on app: Application) {
        app.migrations.add(M001CreateTerritories())
        app.migrations.add(M002CreateBodies())
        app.migrations.add(M003CreateAccounts())
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(M004CreateAuditEntries())
        app.migrations.add(M005CreateSettings())
        app.migrations.add(M006CreateIndexes())
        app.migrations.add(M007CreateInstructionControl())
        app.migrations.add(M008CreateReports())
        app.migrations.add(M009DenormaliseRegister())
        app.migrations.add(M010AddAkimatDepartments())
        app.migrations.add(M011CreateBudgets())
        app.migrations.add(M012ReindexBudgetLines())
        app.migrations.add(M013CreateBudgetRuleTables())
        app.migrations.add(M014SharedServerState())
        app.migrations.add(M015IndexAssignmentParents())
        app.migrations.add(M016WebSessions())
        app.migrations.add(M017RateCounters())
        app.migrations.add(M018AccountLinks())
        app.migrations.add(M019SecondFactor())
        app.migrations.add(M020ActorRoles())
        app.migrations.add(M021PeoplesCouncilName())
        app.migrations.add(M022RoadMaps())
        app.migrations.add(M023Referendums())
        app.migrations.add(M024Discussions())
        app.migrations.add(M025Comments())
        app.migrations.add(M026Proposals())
        app.migrations.add(M027Conversations())
        app.migrations.add(M028DiscussionRevision())
        app.migrations.add(M029ExpertOpinions())
        app.migrations.add(M030Polls())
        app.migrations.add(M031ReferendumElectorate())
        app.migrations.add(M032AppealsAndVisits())
        app.migrations.add(M033ReceptionBookings())
        app.migrations.add(M034AppealFilesAndDeputies())
        app.migrations.add(M035MeetingNotifications())
    }
}
