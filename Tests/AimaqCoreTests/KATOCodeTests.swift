import Testing
@testable import AimaqCore

@Suite struct KATOCodeTests {
    @Test func readsLevelRegionAndParentFromTheDigits() throws {
        let village = try KATOCode("431033103")
        #expect(village.level == .subordinateVillage)
        #expect(village.region == (try KATOCode("430000000")))
        #expect(village.isoCode == "KZ-43")
        #expect(village.nominalAncestors.map(\.description) == ["431033100", "431033000", "431000000", "430000000"])
        #expect((try KATOCode("433200000")).level == .district)
        #expect((try KATOCode("431033000")).level == .ruralDistrict)
        #expect((try KATOCode("431033100")).level == .village)
        #expect((try KATOCode("430000000")).level == .region)
        #expect((try KATOCode("430000000")).nominalParent == nil)
    }

    @Test func rejectsMalformedCodesWithAMessage() {
        #expect(throws: KATOCode.ParseError.notNineDigits("4310")) { try KATOCode("4310") }
        #expect(throws: KATOCode.ParseError.notNineDigits("43103300x")) { try KATOCode("43103300x") }
        #expect(throws: KATOCode.ParseError.unknownRegion("120000000")) { try KATOCode("120000000") }
        #expect(KATOCode.parse("-43103300") == nil)
        #expect(KATOCode.parse("") == nil)
        #expect(KATOCode.ParseError.unknownRegion("120000000").description.contains("120000000"))
    }

    @Test func containmentFollowsTheCodeHierarchy() throws {
        let region = try KATOCode("430000000")
        let shieli = try KATOCode("435200000")
        let aral = try KATOCode("433200000")
        let shieliVillage = try KATOCode("435233100")
        #expect(region.contains(shieli))
        #expect(shieli.contains(shieliVillage))
        #expect(!aral.contains(shieliVillage))
        #expect(!shieli.contains(region))
        #expect(TerritoryScope.country.covers(.subtree(shieli)))
        #expect(TerritoryScope.subtree(region).covers(.subtree(shieli)))
        #expect(!TerritoryScope.subtree(shieli).covers(.subtree(region)))
        #expect(!TerritoryScope.subtree(shieli).covers(.country))
    }

    @Test func codecRoundTripsAsText() throws {
        let code = try KATOCode("435200000")
        let data = try JSONEncoder().encode([code])
        #expect(String(decoding: data, as: UTF8.self) == "[\"435200000\"]")
        #expect(try JSONDecoder().decode([KATOCode].self, from: data) == [code])
    }
}

@Suite struct ClassifierTests {
    static let regions = """
    kato,iso,kind,name_kk,name_ru,name_en,centre_en,population,population_note
    430000000,KZ-43,oblast,Қызылорда облысы,Кызылординская область,Kyzylorda Region,Kyzylorda,845900,BNS
    710000000,KZ-71,city,Астана,г. Астана,Astana,Astana,1630640,BNS
    """
    static let kato = "\u{FEFF}id;parent_id;code;name\n"
        + "1;0;430000000;Кызылординская область\n"
        + "2;1;431000000;Кызылорда Г.А.\n"
        + "3;2;431010000;г.Кызылорда\n"
        + "4;1;435200000;Чиилийский район\n"
        + "5;4;435220100;г.Шиели\n"
        + "6;4;435233000;Акмаянский с.о.\n"
        + "7;6;435233100;с.Акмая\n"
        + "8;6;435233101;зимовка \"Жана\"\n"
        + "9;0;710000000;г.Астана\n"

    @Test func buildsTheTreeWithNearestExistingParents() throws {
        let territories = try KATOClassifier.territories(
            classifier: Self.kato, regions: Self.regions,
            names: "kato,name_kk,name_en\n435200000,Шиелі ауданы,Shieli District\n")
        let tree = TerritoryTree(territories)
        #expect(tree.count == 9)
        #expect(tree.regions.map(\.code.description) == ["430000000", "710000000"])
        let shieliTown = try #require(tree[try KATOCode("435220100")])
        // 435220000 is not in the classifier, so the town hangs under the district.
        #expect(shieliTown.parent == (try KATOCode("435200000")))
        #expect(shieliTown.kind == .city)
        #expect(tree[try KATOCode("435200000")]?.name.en == "Shieli District")
        #expect(tree[try KATOCode("435200000")]?.name.kk == "Шиелі ауданы")
        #expect(tree[try KATOCode("435233000")]?.kind == .ruralDistrict)
        #expect(tree[try KATOCode("431000000")]?.kind == .cityAdministration)
        #expect(tree[try KATOCode("430000000")]?.population == 845900)
        #expect(tree.ancestors(of: try KATOCode("435233101")).map(\.code.description)
                == ["430000000", "435200000", "435233000", "435233100"])
        let counts = tree.descendantCounts(of: try KATOCode("430000000"))
        #expect(counts[.district] == 2)
        #expect(counts[.ruralDistrict] == 2)
        #expect(counts[.village] == 2)
        #expect(counts[.subordinateVillage] == 1)
        #expect(tree.nationalPopulation == 845900 + 1630640)
    }

    @Test func aPopulationTableGivesAnyTerritoryItsFigure() throws {
        let population = "kato,population,population_note\n435200000,80500,census 2021 (test)\n435233000, 4200 ,\n430000000,850000,\n"
        let tree = TerritoryTree(try KATOClassifier.territories(classifier: Self.kato, regions: Self.regions, population: population))
        #expect(tree[try KATOCode("435200000")]?.population == 80500)
        #expect(tree[try KATOCode("435200000")]?.populationNote == "census 2021 (test)")
        #expect(tree[try KATOCode("435233000")]?.population == 4200)
        #expect(tree[try KATOCode("430000000")]?.population == 850000) // laid over regions.csv
        #expect(tree[try KATOCode("431000000")]?.population == nil)
        #expect(tree.nationalPopulation == 850000 + 1630640) // regions only
        for (text, line, column, message) in [
            ("kato,population\n435200000,80500\n435233000,-3\n", 3, 2, "above zero"),
            ("kato,population\n435200000,80500\n435200000,80600\n", 3, 1, "twice"),
            ("kato,population\n435200000,80500\n435299000,100\n", 3, 1, "not in the classifier"),
        ] {
            #expect {
                try KATOClassifier.territories(classifier: Self.kato, regions: Self.regions, population: text)
            } throws: { error in
                let e = error as? KATOClassifier.ImportError
                return e?.file == "population.csv" && e?.line == line && e?.column == column && e?.message.contains(message) == true
            }
        }
    }

    @Test func reportsTheLineAndColumnOfABadCode() {
        let bad = Self.kato + "10;0;43000000X;Сломанная строка\n"
        #expect {
            try KATOClassifier.territories(classifier: bad, regions: Self.regions)
        } throws: { error in
            let e = error as? KATOClassifier.ImportError
            return e?.file == "kato.csv" && e?.line == 11 && e?.column == 3
        }
    }

    @Test func refusesDuplicateCodes() {
        let bad = Self.kato + "10;1;435200000;Чиилийский район\n"
        #expect {
            try KATOClassifier.territories(classifier: bad, regions: Self.regions)
        } throws: { error in
            (error as? KATOClassifier.ImportError)?.message.contains("twice") == true
        }
    }

    @Test func transliteratesNamesForEnglish() {
        #expect(TerritoryNaming.latin("Жалагашский") == "Zhalagashskiy")
        #expect(TerritoryNaming.names(russian: "Акмаянский с.о.", kind: .ruralDistrict).en == "Akmayanskiy Rural District")
        #expect(TerritoryNaming.names(russian: "с.Акмая", kind: .village).kk == "Акмая ауылы")
    }

    @Test func readsTheRealClassifierSnapshot() throws {
        // The shipped snapshot, through the same reader the server uses.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/AimaqServer/Resources/Data")
        let territories = try KATOClassifier.territories(
            classifier: String(contentsOf: root.appendingPathComponent("kato.csv"), encoding: .utf8),
            regions: String(contentsOf: root.appendingPathComponent("regions.csv"), encoding: .utf8),
            names: String(contentsOf: root.appendingPathComponent("territory-names.csv"), encoding: .utf8))
        let tree = TerritoryTree(territories)
        #expect(tree.count == 16_264)
        #expect(tree.regions.count == 20)
        #expect(tree.children(of: try KATOCode("430000000")).count == 9)
        #expect(territories.allSatisfy { $0.parent == nil || tree[$0.parent!] != nil })
    }
}

import Foundation
