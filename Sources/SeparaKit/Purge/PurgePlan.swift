import Foundation

extension StoreSnapshot {
    /// Groups every code into people: a key entry with its earlier codes, identity slips sealed for those
    /// codes (or for codes of their own), and each registry code linked to no one on its own.
    func people(keyEntries: [KeyEntry], sealed: [SealedFile]) -> [Person] {
        var people: [Person] = []
        var index: [String: Int] = [:]
        for entry in keyEntries {
            people.append(Person(codes: Set(entry.allCodes), keyEntry: entry))
            for code in entry.allCodes { index[code] = people.count - 1 }
        }
        // A sealed slip (inbox or held) counts for its own code only: a history in it was not written by a
        // reissue (only the key file holds those) and must not tie someone else's codes to it.
        for entry in sealed.flatMap(\.entries) {
            if let existing = index[entry.code] {
                people[existing].sealed.append(entry)
            } else {
                people.append(Person(codes: [entry.code], sealed: [entry]))
                index[entry.code] = people.count - 1
            }
        }
        for code in codes.keys.sorted() where index[code] == nil {
            people.append(Person(codes: [code]))
            index[code] = people.count - 1
        }
        return people
    }
}

/// One person as a purge sees them: every code they are known by, their key entry, their sealed slips.
struct Person {
    var codes: Set<String>
    var keyEntry: KeyEntry?
    var sealed: [KeyEntry] = []

    init(codes: Set<String>, keyEntry: KeyEntry? = nil, sealed: [KeyEntry] = []) {
        self.codes = codes
        self.keyEntry = keyEntry
        self.sealed = sealed
    }

    /// The template whose consent the person was given: the key entry's, the sealed slip's, or the code's.
    func template(_ registry: [String: RegisteredCode]) -> String? {
        keyEntry?.template ?? sealed.first?.template
            ?? codes.sorted().lazy.compactMap { registry[$0]?.template?.rawValue }.first
    }
}

/// What a purge removes, decided from a ``StoreSnapshot`` and the people in the key file.
struct PurgePlan {
    let snapshot: StoreSnapshot
    let people: [Person]
    private(set) var records: [RecordKey] = []
    private(set) var selected: [Int] = []

    init(snapshot: StoreSnapshot, people: [Person]) {
        self.snapshot = snapshot
        self.people = people
    }

    /// Selects what is due on `today` (see ``Purge``).
    mutating func selectDue(today: String, retention: RetentionPolicy) {
        var cutoffs: [Int: String] = [:]
        func cutoff(_ months: Int) -> String {
            if let known = cutoffs[months] { return known }
            // `today` comes from Timestamp.localDay, always a valid day.
            let day = RetentionDate.day(today, minusMonths: months) ?? today
            cutoffs[months] = day
            return day
        }
        var remaining: [String: Int] = [:]
        var lastVisit: [String: String] = [:]
        for record in snapshot.records {
            if record.visitDate > lastVisit[record.code, default: ""] { lastVisit[record.code] = record.visitDate }
            if record.visitDate <= cutoff(retention.months(record.template.rawValue)) {
                records.append(record)
            } else {
                remaining[record.code, default: 0] += 1
            }
        }
        for (index, person) in people.enumerated() {
            if person.codes.contains(where: { remaining[$0, default: 0] > 0 }) { continue }
            var last = ""
            for code in person.codes {
                if let issued = snapshot.codes[code]?.issuedAt, issued > last { last = issued }
                if let visit = lastVisit[code], visit > last { last = visit }
            }
            var stamps: [String] = []
            if let entry = person.keyEntry { stamps += [entry.addedAt] + entry.history.map(\.at) }
            for entry in person.sealed { stamps += [entry.addedAt] + entry.history.map(\.at) }
            for stamp in stamps {
                let day = String(stamp.prefix(10))
                if day > last { last = day }
            }
            if last <= cutoff(retention.months(person.template(snapshot.codes))) { selected.append(index) }
        }
    }

    /// Selects the person `code` belongs to, with all their records; false when no one carries it.
    mutating func selectPerson(with code: String) -> Bool {
        guard let index = people.firstIndex(where: { $0.codes.contains(code) }) else { return false }
        selected = [index]
        let codes = people[index].codes
        records = snapshot.records.filter { codes.contains($0.code) }
        return true
    }

    /// Every code of the selected people (canonical, sorted): current, earlier, never used.
    var selectedCodes: [String] { selected.flatMap { people[$0].codes }.sorted() }

    /// The selected codes that have a registry row.
    var registryCodes: [RegisteredCode] { selectedCodes.compactMap { snapshot.codes[$0] } }

    /// The batches of the selected codes (for naming printed batch files).
    var selectedBatchIDs: [String] { Set(registryCodes.map(\.batch.rawValue)).sorted() }

    /// The batches left with no code once the selected codes are removed.
    var emptiedBatches: [BatchID] {
        let removed = Set(registryCodes.map(\.code))
        var remaining: [BatchID: Int] = [:]
        for code in snapshot.codes.values where !removed.contains(code.code) { remaining[code.batch, default: 0] += 1 }
        return Set(registryCodes.map(\.batch)).filter { remaining[$0, default: 0] == 0 }.sorted()
    }

    /// Current codes of the key entries to remove.
    var keyEntryCodes: [String] { selected.compactMap { people[$0].keyEntry?.code } }

    /// Current codes of the sealed slips to remove.
    var sealedEntryCodes: Set<String> { Set(selected.flatMap { people[$0].sealed.map(\.code) }) }

    struct Counts {
        var records, codes, unusedCodes, keyEntries, sealedEntries, batches: Int
        var keyFile: Bool

        /// The counts as the audit entry's detail.
        var auditDetail: [String: String] {
            [
                "records": String(records), "codes": String(codes), "unused_codes": String(unusedCodes),
                "key_entries": String(keyEntries), "sealed_entries": String(sealedEntries),
                "batches": String(batches), "key_file": keyFile ? "yes" : "no",
            ]
        }
    }

    func counts(keyFile: Bool) -> Counts {
        let registry = registryCodes
        return Counts(
            records: records.count, codes: registry.count,
            unusedCodes: registry.filter { $0.status == .issued || $0.status == .printed }.count,
            keyEntries: keyEntryCodes.count,
            sealedEntries: selected.reduce(0) { $0 + people[$1].sealed.count },
            batches: emptiedBatches.count, keyFile: keyFile)
    }

    /// The store side of the plan: the selected records, registry rows and emptied batches, and the output
    /// manifest's rows for the selected codes and those batches.
    func erasure(audit: [AuditDraft]) -> StoreErasure {
        StoreErasure(
            records: records, codes: registryCodes.map(\.code), batches: emptiedBatches,
            outputHolders: selectedCodes + emptiedBatches.map(\.rawValue), audit: audit)
    }

    /// The files the output manifest records as holding a selected code or a batch of one (relative to
    /// `output/`).
    var recordedOutputs: [String] { snapshot.outputs(holding: selectedCodes, batches: selectedBatchIDs) }
}
