import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Reports: counting persons, visits and services")
struct ReportCountingTests {
    let october = ReportPeriod(
        label: "2026-10", start: CalendarDay(iso: "2026-10-01")!, end: CalendarDay(iso: "2026-10-31")!)
    let november = ReportPeriod(
        label: "2026-11", start: CalendarDay(iso: "2026-11-01")!, end: CalendarDay(iso: "2026-11-30")!)

    func joint(
        _ schema: ReportSchema, _ tally: ReportTally, period: Int, sex: String, age: String,
        disability: DisabilityStatus, nationality: String
    ) -> Int32 {
        let s = schema.sex.firstIndex { $0.name == sex }!
        let a = schema.age.firstIndex { $0.name == age }!
        let n = schema.nationality.firstIndex { $0.name == nationality }!
        return tally.joint[period][schema.jointIndex(sex: s, age: a, disability: disability.rawValue, nationality: n)]
    }

    @Test func personsAreDistinctCodesDescribedByTheirLatestIntakeAsOfEachPeriod() throws {
        let fixture = try ReportFixture(persons: 4)
        let (a, b, c, d) = (fixture.codes[0], fixture.codes[1], fixture.codes[2], fixture.codes[3])
        // A: intake in October, two visits in November: one person in each month.
        try fixture.insert(
            a, "intake", "2026-10-05", ReportFixture.intake(sex: "female", age: "34", nationality: "syr"))
        try fixture.insert(a, "visit", "2026-11-03", ["services_provided": ["first_aid"]])
        try fixture.insert(a, "visit", "2026-11-20", ["services_provided": ["first_aid", "food_water"]])
        // B: a second intake in November changes what is known; October keeps the first.
        try fixture.insert(
            b, "intake", "2026-10-10", ReportFixture.intake(sex: "male", age: "17", nationality: "afg", wg: []))
        try fixture.insert(b, "intake", "2026-11-12", ReportFixture.intake(sex: "male", age: "18", nationality: "afg"))
        // C: only a visit, no intake: counted, with nothing recorded about them.
        try fixture.insert(c, "visit", "2026-11-01", ["services_provided": ["information"]])
        // D: an intake before the range describes a visit inside it.
        try fixture.insert(
            d, "intake", "2026-09-30", ReportFixture.intake(sex: "female", age: "60+", nationality: "eri"))
        try fixture.insert(d, "visit", "2026-10-02", ["services_provided": ["health_referral"]])

        let (schema, tally) = try fixture.tally([october, november])
        #expect(tally.persons == [3, 3])
        #expect(tally.visits == [3, 4])
        #expect(
            joint(schema, tally, period: 0, sex: "female", age: "18-59", disability: .without, nationality: "syr") == 1)
        #expect(
            joint(schema, tally, period: 1, sex: "female", age: "18-59", disability: .without, nationality: "syr") == 1)
        #expect(
            joint(schema, tally, period: 0, sex: "male", age: "12-17", disability: .unknown, nationality: "afg") == 1)
        #expect(
            joint(schema, tally, period: 1, sex: "male", age: "18-59", disability: .without, nationality: "afg") == 1)
        #expect(
            joint(
                schema, tally, period: 1, sex: "unknown", age: "unknown", disability: .unknown, nationality: "unknown")
                == 1)
        #expect(
            joint(schema, tally, period: 0, sex: "female", age: "60+", disability: .without, nationality: "eri") == 1)
        let service = { (name: String) in schema.services.firstIndex { $0.name == name }! }
        #expect(tally.services[1][service("first_aid")] == 2)
        #expect(tally.services[1][service("food_water")] == 1)
        #expect(tally.services[1][service("information")] == 1)
        #expect(tally.services[0][service("health_referral")] == 1)
        #expect(tally.services[0][service("first_aid")] == 0)
    }

    @Test(arguments: [
        (
            ["no_difficulty", "some_difficulty", "no_difficulty", "no_difficulty", "no_difficulty", "no_difficulty"],
            DisabilityStatus.without
        ),
        (
            [
                "no_difficulty", "a_lot_of_difficulty", "no_difficulty", "no_difficulty", "no_difficulty",
                "no_difficulty",
            ], .with
        ),
        (["cannot_do_at_all"], .with),
        (["some_difficulty", "some_difficulty", "some_difficulty", "some_difficulty", "some_difficulty"], .unknown),
        ([], .unknown),
    ])
    func washingtonGroupStandardCutOff(answers: [String], expected: DisabilityStatus) throws {
        let fixture = try ReportFixture(persons: 1)
        try fixture.insert(fixture.codes[0], "intake", "2026-10-05", ReportFixture.intake(wg: answers))
        let (_, tally) = try fixture.tally([october])
        let status = (0..<tally.joint[0].count).first { tally.joint[0][$0] == 1 }.map { index -> Int in
            let schema = try! fixture.schema()
            return (index / schema.nationality.count) % schema.disability.count
        }
        #expect(status == expected.rawValue)
        // The library's own statement of the rule agrees.
        #expect(WashingtonGroup.status(answers: answers.map { WashingtonGroup.answers.firstIndex(of: $0) }) == expected)
    }

    @Test func configuredAgeBandsTakeYearsAndPaperBandsThatFitInside() throws {
        let fixture = try ReportFixture(persons: 5, reports: .init(ageBands: ["0-14", "15-59", "60+"]))
        let ages = ["3", "12-17", "15", "5-11", "60+"]
        for (code, age) in zip(fixture.codes, ages) {
            try fixture.insert(code, "intake", "2026-10-05", ReportFixture.intake(age: age))
        }
        let (schema, tally) = try fixture.tally([october])
        #expect(schema.age.map(\.name) == ["0-14", "15-59", "60+", "unknown"])
        var byBand = [Int](repeating: 0, count: schema.age.count)
        for (index, count) in tally.joint[0].enumerated() where count > 0 {
            byBand[(index / (schema.nationality.count * schema.disability.count)) % schema.age.count] += Int(count)
        }
        // 3 and 5–11 → 0–14; 15 → 15–59; 60+ → 60+; 12–17 straddles 0–14 and 15–59 → not recorded.
        #expect(byBand == [2, 1, 1, 1])
    }

    @Test func recordFieldsReadsCanonicalAndUnusualJSON() {
        let fields = RecordFields(
            keys: [("age", .age, []), ("sex", .choice, ["female", "male"]), ("needs", .choices, ["food", "water"])],
            ageBands: .standard)
        func read(_ json: String) -> ([Int32], [Int32]) {
            var values: [Int32] = [-1, -1, -1]
            var lists: [[Int32]] = [[], [], []]
            Array(json.utf8).withUnsafeBytes { fields.read($0, values: &values, lists: &lists) }
            return (values, lists[2])
        }
        #expect(read(#"{"age":"34","needs":["food","water"],"sex":"male"}"#).0 == [3, 1, -1])
        #expect(read(#"{"age":"34","needs":["food","water"],"sex":"male"}"#).1 == [0, 1])
        #expect(read(#" { "sex" : "female" , "age" : 61 } "#).0 == [4, 0, -1])
        #expect(read(#"{"age":"0-4","other":{"sex":"male","x":[1,{"y":"]"}]},"sex":"fe\"male"}"#).0 == [0, -1, -1])
        #expect(read(#"{"age":"12-17","sex":"female","needs":["soap"]}"#).1 == [])
        #expect(read(#"{"age":"121"}"#).0 == [-1, -1, -1])
        #expect(read(#"{"age":"34""#).0 == [3, -1, -1])
        #expect(read("").0 == [-1, -1, -1])
    }

    @Test func ingestedTranscriptionsAreCountedLikeDirectRecords() throws {
        let fixture = try ReportFixture(persons: 3)
        let header =
            "code,visit_date,sex,age,nationality,unaccompanied_child," + WashingtonGroup.fields.joined(separator: ",")
        let adults = Array(repeating: "no_difficulty", count: 5).joined(separator: ",")
        try fixture.ingest(
            "intake", header: header,
            rows: [
                "\(fixture.codes[0].display),05/10/2026,female,29,syr,no,a_lot_of_difficulty,\(adults)",
                "\(fixture.codes[1].display),06/10/2026,male,0-4,afg,no,,,,,,",
                "\(fixture.codes[2].display),07/10/2026,male,16,eri,yes,,,,,,",
            ])
        try fixture.ingest(
            "visit", header: "code,visit_date,services_provided",
            rows: ["\(fixture.codes[0].display),20/10/2026,first_aid food_water"])
        let (schema, tally) = try fixture.tally([october])
        #expect(tally.persons == [3])
        #expect(tally.visits == [4])
        #expect(tally.unaccompanied == [1])
        #expect(
            joint(schema, tally, period: 0, sex: "female", age: "18-59", disability: .with, nationality: "syr") == 1)
        #expect(joint(schema, tally, period: 0, sex: "male", age: "0-4", disability: .unknown, nationality: "afg") == 1)
        #expect(tally.services[0][schema.services.firstIndex { $0.name == "food_water" }!] == 1)
    }
}
