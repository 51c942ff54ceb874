import Foundation

/// The counts one pass over the store gives, per period: persons by every combination of recorded
/// categories, unaccompanied or separated children, visits and services given. Never leaves SeparaKit:
/// only disclosure-controlled figures do.
struct ReportTally {
    /// Distinct persons (codes) seen in each period.
    var persons: [Int]
    /// Per period, persons by (sex, age band, disability, nationality), indexed by ``ReportSchema/jointIndex``.
    var joint: [[Int32]]
    /// Per period, persons whose latest answer says they are an unaccompanied or separated child.
    var unaccompanied: [Int]
    /// Per period, records (visits) dated in it.
    var visits: [Int]
    /// Per period and service, records that give the service.
    var services: [[Int]]
    /// Records read.
    var recordsRead = 0
}

/// One pass over the `record` table in key order (code, template, date), with a single cursor.
///
/// **Who is counted.** A person is a case code. A person is *reached* in a period when any record of any
/// template is dated in it. Their sex, age, disability, nationality and whether they are an unaccompanied or
/// separated child come from their latest record of the report's template (intake) dated on or before the
/// period's last day — "as of the period"; a person with no such record counts as "not recorded". Ages are
/// as recorded then (a person is not aged forward). **Visits** are records dated in the period (an intake is
/// a visit); **services** are counted per record that gives them (`services_provided`).
///
/// Because records come grouped by code, a person's records are gathered and counted when the next code
/// starts: no table of a million persons is kept.
struct RecordScan {
    let schema: ReportSchema
    let periods: [ReportPeriod]

    /// Person attributes from one record of the report's template.
    struct Attributes {
        var day: Int
        var sex: Int32
        var age: Int32
        var disability: Int32
        var nationality: Int32
        var unaccompanied: Bool
    }

    func run(_ store: Store) throws(StoreError) -> ReportTally {
        let periodCount = periods.count
        var tally = ReportTally(
            persons: Array(repeating: 0, count: periodCount),
            joint: Array(repeating: Array(repeating: 0, count: schema.jointSize), count: periodCount),
            unaccompanied: Array(repeating: 0, count: periodCount), visits: Array(repeating: 0, count: periodCount),
            services: Array(repeating: Array(repeating: 0, count: schema.services.count), count: periodCount))
        guard let first = periods.first, let last = periods.last else { return tally }
        let firstDay = first.start.daysSinceEpoch
        let lastDay = last.end.daysSinceEpoch
        // Period of each day of the range.
        var periodOfDay = [Int32](repeating: -1, count: lastDay - firstDay + 1)
        for (index, period) in periods.enumerated() {
            for day in period.start.daysSinceEpoch...period.end.daysSinceEpoch {
                periodOfDay[day - firstDay] = Int32(index)
            }
        }
        let periodEnds = periods.map(\.end.daysSinceEpoch)

        // Keys read from the person template's records, in this order.
        var keys: [(name: String, kind: RecordFields.Kind, choices: [String])] = [
            ("sex", .choice, schema.sex.dropLast().map(\.name)),
            ("age", .age, []),
            ("nationality", .choice, schema.nationality.dropLast().map(\.name)),
            (ReportSchema.unaccompaniedField, .choice, ["yes", "no"]),
        ]
        for field in schema.wgFields { keys.append((field, .choice, WashingtonGroup.answers)) }
        let personFields = RecordFields(keys: keys, ageBands: schema.ageBands)
        let serviceFields = RecordFields(
            keys: [(ReportSchema.servicesField, .choices, schema.services.map(\.name))], ageBands: schema.ageBands)
        let wgCount = schema.wgFields.count
        let allWG = wgCount == WashingtonGroup.fields.count
        let sexUnknown = Int32(schema.sex.count - 1)
        let ageUnknown = Int32(schema.age.count - 1)
        let nationalityUnknown = Int32(schema.nationality.count - 1)
        let disabilityUnknown = Int32(DisabilityStatus.unknown.rawValue)

        let personTemplate = Array(schema.template.id.rawValue.utf8)
        let serviceTemplates = schema.serviceTemplates.map { Array($0.rawValue.utf8) }

        var values = [Int32](repeating: -1, count: keys.count)
        var lists: [[Int32]] = [[]]
        var intakes: [Attributes] = []
        var reached: [Int32] = []
        var reachedStamp = [Int](repeating: -1, count: periodCount)
        var person = 0
        var currentCode: [UInt8] = []
        currentCode.reserveCapacity(32)

        func finishPerson() {
            for period in reached {
                let p = Int(period)
                let end = periodEnds[p]
                var found: Attributes?
                for intake in intakes.reversed() where intake.day <= end {
                    found = intake
                    break
                }
                let a =
                    found
                    ?? Attributes(
                        day: 0, sex: sexUnknown, age: ageUnknown, disability: disabilityUnknown,
                        nationality: nationalityUnknown, unaccompanied: false)
                tally.persons[p] += 1
                tally.joint[p][
                    schema.jointIndex(
                        sex: Int(a.sex), age: Int(a.age), disability: Int(a.disability), nationality: Int(a.nationality)
                    )
                ] += 1
                if a.unaccompanied { tally.unaccompanied[p] += 1 }
            }
            reached.removeAll(keepingCapacity: true)
            intakes.removeAll(keepingCapacity: true)
            person += 1
        }

        try store.scanRecords { record in
            tally.recordsRead += 1
            // The code: a new person when it changes.
            let sameCode = record.code { bytes -> Bool in
                if bytes.count == currentCode.count
                    && currentCode.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
                {
                    return true
                }
                currentCode.removeAll(keepingCapacity: true)
                currentCode.append(contentsOf: bytes)
                return false
            }
            if !sameCode && tally.recordsRead > 1 { finishPerson() }
            guard let day = record.visitDate { CalendarDay.parse($0)?.daysSinceEpoch }, day <= lastDay
            else { return }
            // Whether the record describes the person (report template) and whether it gives services.
            let (describesPerson, givesServices) = record.template { bytes -> (Bool, Bool) in
                func equal(_ name: [UInt8]) -> Bool {
                    name.count == bytes.count
                        && name.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
                }
                return (equal(personTemplate), serviceTemplates.contains(where: equal))
            }
            let period = day >= firstDay ? Int(periodOfDay[day - firstDay]) : -1
            if period >= 0 {
                tally.visits[period] += 1
                if reachedStamp[period] != person {
                    reachedStamp[period] = person
                    reached.append(Int32(period))
                }
            }
            if describesPerson {
                for index in values.indices { values[index] = -1 }
                record.fields { personFields.read($0, values: &values, lists: &lists) }
                var severe = false
                var answered = 0
                for index in 0..<wgCount {
                    let answer = values[4 + index]
                    if answer >= 0 { answered += 1 }
                    if answer >= 2 { severe = true }
                }
                let disability: Int32 =
                    severe
                    ? Int32(DisabilityStatus.with.rawValue)
                    : (allWG && answered == wgCount ? Int32(DisabilityStatus.without.rawValue) : disabilityUnknown)
                intakes.append(
                    Attributes(
                        day: day, sex: values[0] >= 0 ? values[0] : sexUnknown,
                        age: values[1] >= 0 ? values[1] : ageUnknown, disability: disability,
                        nationality: values[2] >= 0 ? values[2] : nationalityUnknown, unaccompanied: values[3] == 0))
            }
            if givesServices && period >= 0 {
                lists[0].removeAll(keepingCapacity: true)
                record.fields { serviceFields.read($0, values: &values, lists: &lists) }
                for service in lists[0] { tally.services[period][Int(service)] += 1 }
            }
        }
        if tally.recordsRead > 0 { finishPerson() }
        return tally
    }
}
