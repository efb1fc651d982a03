import AimaqCore
import Testing

@Suite struct DraftTests {
    static let markdown = """
    # Draft Constitution (demo wording)

    The people of Kazakhstan adopt this Constitution.

    ## Section I. General provisions

    ### Article 1. The state

    Kazakhstan is a democratic, secular, legal and social state.

    Its highest values are the person, life, rights and freedoms.

    ### Article 2

    The Republic is unitary;
    its territory is whole and inviolable.

    ## Section II. The Kurultai

    ### Article 50-1. The Kurultai

    The Kurultai is the one chamber of Parliament.
    """

    @Test func readsSectionsArticlesAndParagraphsFromMarkdown() throws {
        let document = try DraftDocument.parse(Self.markdown)
        #expect(document.title == "Draft Constitution (demo wording)")
        #expect(document.preamble == ["The people of Kazakhstan adopt this Constitution."])
        #expect(document.sections.map(\.anchor) == ["sec-i", "sec-ii"])
        #expect(document.articles.map(\.anchor) == ["art-1", "art-2", "art-50-1"])
        #expect(document.articles[0].section == "sec-i")
        #expect(document.articles[2].section == "sec-ii")
        #expect(document.articles[0].paragraphs.count == 2)
        #expect(document.articles[1].paragraphs == ["The Republic is unitary; its territory is whole and inviolable."])
        #expect(document.articles[0].paragraphAnchor(2) == "art-1.2")
    }

    @Test func readsPlainTextInRussianAndKazakh() throws {
        let russian = try DraftDocument.parse("Раздел 1. Общие положения\nСтатья 1. Государство\nТекст первой статьи.\n\nСтатья 2.\nТекст второй.\n")
        #expect(russian.articles.map(\.anchor) == ["art-1", "art-2"])
        #expect(russian.sections.map(\.heading) == ["Раздел 1. Общие положения"])
        let kazakh = try DraftDocument.parse("1-бап. Мемлекет\nҚазақстан – демократиялық мемлекет.\n2-бап\nЕкінші бап.\n")
        #expect(kazakh.articles.map(\.anchor) == ["art-1", "art-2"])
        #expect(kazakh.articles[0].paragraphs == ["Қазақстан – демократиялық мемлекет."])
    }

    @Test func badDraftsAreRefusedWithTheLine() {
        #expect(throws: DraftDocument.ParseError.noArticles) { try DraftDocument.parse("Just a paragraph.\n") }
        #expect(throws: DraftDocument.ParseError.duplicateAnchor("art-1", line: 3)) {
            try DraftDocument.parse("## Article 1\nText.\n## Article 1\nAgain.\n")
        }
        #expect(throws: DraftDocument.ParseError.emptyArticle("art-2", line: 3)) {
            try DraftDocument.parse("## Article 1\nText.\n## Article 2\n## Article 3\nMore.\n")
        }
    }

    @Test func aNewVersionKeepsAnchorsAndListsWhatItChanges() throws {
        let old = try DraftDocument.parse(Self.markdown)
        let newText = Self.markdown
            .replacingOccurrences(of: "democratic, secular", with: "democratic, secular and unitary")
            .replacingOccurrences(of: "### Article 2\n\nThe Republic is unitary;\nits territory is whole and inviolable.\n\n", with: "")
            + "\n\n### Article 50-2. Deputies\n\nA deputy serves five years.\n"
        let new = try DraftDocument.parse(newText)
        let comparison = DraftComparison(from: old, to: new)
        #expect(comparison.entries.map(\.anchor) == ["art-1", "art-2", "art-50-1", "art-50-2"])
        #expect(comparison.entries.map(\.change) == [.changed, .removed, .unchanged, .added])
        #expect(comparison.changedAnchors == ["art-1", "art-2", "art-50-2"])
    }

    @Test func wordDiffMarksOnlyWhatChanged() {
        let diff = WordDiff(from: "The Parliament consists of two chambers, the Senate and the Mazhilis.",
                            to: "The Kurultai consists of one chamber.")
        #expect(diff.old == "The Parliament consists of two chambers, the Senate and the Mazhilis.")
        #expect(diff.new == "The Kurultai consists of one chamber.")
        #expect(diff.runs.first == WordDiff.Run(kind: .same, text: "The "))
        #expect(diff.runs.contains(WordDiff.Run(kind: .removed, text: "Parliament")))
        #expect(diff.runs.contains(WordDiff.Run(kind: .added, text: "Kurultai")))
        #expect(diff.runs.contains(WordDiff.Run(kind: .same, text: " consists of ")))
        let comma = WordDiff(from: "rights, freedoms", to: "rights and freedoms")
        #expect(comma.runs == [WordDiff.Run(kind: .same, text: "rights"), WordDiff.Run(kind: .removed, text: ","),
                               WordDiff.Run(kind: .added, text: " and"), WordDiff.Run(kind: .same, text: " freedoms")])
        let phrase = WordDiff(from: "of two chambers, the Senate", to: "of one chamber, the Kurultai")
        #expect(phrase.runs == [WordDiff.Run(kind: .same, text: "of "), WordDiff.Run(kind: .removed, text: "two chambers"),
                                WordDiff.Run(kind: .added, text: "one chamber"), WordDiff.Run(kind: .same, text: ", the "),
                                WordDiff.Run(kind: .removed, text: "Senate"), WordDiff.Run(kind: .added, text: "Kurultai")])
        #expect(WordDiff(from: "same", to: "same").runs == [WordDiff.Run(kind: .same, text: "same")])
        #expect(WordDiff(from: "", to: "new text").runs == [WordDiff.Run(kind: .added, text: "new text")])
    }

    @Test func phasesFollowTheScheduleAndAllowTheirActions() throws {
        let schedule = try DiscussionSchedule(opens: try CivilDate("2026-02-12"), expertReview: try CivilDate("2026-02-26"),
                                              dispositions: try CivilDate("2026-03-02"), closes: try CivilDate("2026-03-10"))
        #expect(schedule.phase(on: try CivilDate("2026-02-11")) == .announced)
        #expect(schedule.phase(on: try CivilDate("2026-02-12")) == .publicDiscussion)
        #expect(schedule.phase(on: try CivilDate("2026-02-27")) == .expertReview)
        #expect(schedule.phase(on: try CivilDate("2026-03-09")) == .dispositions)
        #expect(schedule.phase(on: try CivilDate("2026-03-10")) == .closed)
        #expect(DiscussionPhase.publicDiscussion.allows(.comment) && !DiscussionPhase.expertReview.allows(.comment))
        #expect(DiscussionPhase.expertReview.allows(.expertOpinion) && !DiscussionPhase.dispositions.allows(.expertOpinion))
        #expect(DiscussionPhase.dispositions.allows(.dispose) && !DiscussionPhase.closed.allows(.dispose))
        #expect(!DiscussionPhase.announced.allows(.read) && DiscussionPhase.closed.allows(.read))
        #expect(throws: DiscussionSchedule.Problem.outOfOrder(.expertReview, .dispositions)) {
            try DiscussionSchedule(opens: try CivilDate("2026-02-12"), expertReview: try CivilDate("2026-03-01"),
                                   dispositions: try CivilDate("2026-02-20"), closes: try CivilDate("2026-03-10"))
        }
    }
}

@Suite struct DiscussionAccessTests {
    @Test func residentsTakePartAndTheTerritorysDeputiesModerate() throws {
        let kyzylorda = try KATOCode("430000000"), shieli = try KATOCode("435200000"), astana = try KATOCode("710000000")
        let citizen = Actor(role: .citizen, scope: .subtree(shieli))
        #expect(AccessPolicy.decide(.takePartInDiscussion(territory: kyzylorda), for: citizen) == .allowed)
        #expect(AccessPolicy.decide(.takePartInDiscussion(territory: nil), for: citizen) == .allowed, "the whole country's")
        #expect(AccessPolicy.decide(.takePartInDiscussion(territory: astana), for: citizen) == .forbidden)
        let expert = Actor(role: .expert, scope: .country)
        let regionalExpert = Actor(role: .expert, scope: .subtree(astana))
        #expect(AccessPolicy.decide(.giveExpertOpinion(territory: nil), for: expert) == .allowed)
        #expect(AccessPolicy.decide(.giveExpertOpinion(territory: kyzylorda), for: expert) == .allowed)
        #expect(AccessPolicy.decide(.giveExpertOpinion(territory: kyzylorda), for: regionalExpert) == .forbidden)
        #expect(AccessPolicy.decide(.giveExpertOpinion(territory: nil), for: citizen) == .forbidden, "citizens comment instead")
        #expect(AccessPolicy.decide(.giveExpertOpinion(territory: nil), for: nil) == .signInRequired)
        #expect(AccessPolicy.decide(.takePartInDiscussion(territory: shieli), for: Actor(role: .citizen, scope: .subtree(kyzylorda)))
                == .forbidden, "a region-wide account does not live in one district")
        #expect(AccessPolicy.decide(.takePartInDiscussion(territory: kyzylorda), for: nil) == .signInRequired)
        let deputy = Actor(role: .maslikhatDeputy, scope: .subtree(kyzylorda))
        #expect(AccessPolicy.allows(.moderateDiscussion(territory: shieli), for: deputy))
        #expect(!AccessPolicy.allows(.moderateDiscussion(territory: nil), for: deputy), "the national discussion is not a maslikhat's")
        #expect(!AccessPolicy.allows(.moderateDiscussion(territory: kyzylorda), for: citizen))
        #expect(AccessPolicy.allows(.moderateDiscussion(territory: nil), for: Actor(role: .administrator, scope: .country)))
        #expect(!AccessPolicy.allows(.moderateDiscussion(territory: kyzylorda), for: Actor(role: .administrator, scope: .subtree(astana))))
        // Dispositions: the responsible body's deputies only.
        #expect(AccessPolicy.allows(.disposeProposals(territory: shieli), for: deputy))
        #expect(!AccessPolicy.allows(.disposeProposals(territory: kyzylorda), for: Actor(role: .administrator, scope: .country)))
        #expect(!AccessPolicy.allows(.disposeProposals(territory: nil), for: deputy))
        #expect(AccessPolicy.allows(.disposeProposals(territory: nil), for: Actor(role: .nationalDeputy, scope: .country)))
        #expect(!AccessPolicy.allows(.disposeProposals(territory: astana), for: deputy))
    }
}
