import Foundation
import Testing

@testable import SeparaKit

/// Free text that carries a person's identity, however it is written, is spotted; ordinary answers are not.
@Suite("Identity written into free text")
struct IdentityInTextTests {
    @Test(arguments: [
        // Names written as names, with titles, and introduced by a phrase, in four languages.
        "Zebulon Quartermaine", "seen with Zebulon Quartermaine today", "Mr Quartermaine from Kabul",
        "mme dupont", "Sra. Gómez", "his name is zebulon", "il s'appelle Jean", "se llama Ana",
        "اسمه زبولون", "السيد أحمد", "she is known as zq",
        // Phone numbers in digits, split, and in words.
        "0612345678", "06 12 34 56 78", "+33 6 12 34 56 78", "zero six one two three four five six",
        "six one one two two two three three three", "zéro six douze trente", "cero seis uno dos tres cuatro",
        "06 one two three four", "صفر ستة واحد اثنان ثلاثة أربعة",
        // E-mail addresses, also spelled out.
        "zq@example.org", "zq at example dot org", "zq (at) example (dot) org", "zq arroba example punto org",
        // Labels, with look-alike letters and invisible characters inside.
        "name: Zebulon", "Nаme: x", "Na\u{200B}me: x", "tel: 0612", "ｎａｍｅ: x", "Zebulon\u{200D} Quartermaine",
    ])
    func identityIsSpotted(text: String) {
        #expect(IdentityLookalike.detect(text) != nil, "\(text)")
    }

    @Test(arguments: [
        "needs insulin daily", "went to Kabul", "lost documents at the border", "back pain since June",
        "2 children", "called the hotline", "referral to the shelter", "pregnant, 6 months", "wheelchair",
        "douleur au dos", "necesita medicinas", "يحتاج إلى دواء", "Syria", "one child and two bags",
    ])
    func ordinaryAnswersPass(text: String) {
        #expect(IdentityLookalike.detect(text) == nil, "\(text): \(IdentityLookalike.detect(text) ?? "")")
    }

    /// A name typed into the nationality column and a phone number into the age are rejected, and the
    /// rejects file holds a marker in their place, never the values; the other cells are copied as typed.
    @Test func theRejectsFileNeverHoldsACellThatLooksLikeIdentity() throws {
        let fixture = try IngestFixture()
        let rows = [
            "\(fixture.codes[4].display),03/11/2026,female,34,Zebulon Quartermaine,no",
            "\(fixture.codes[5].display),03/11/2026,male,0612345678,syr,no",
            "\(fixture.codes[6].display),04/11/2026,robot,30,syr,no",
        ]
        let url = try fixture.file("typed.csv", ([IngestFixture.header] + rows).joined(separator: "\n"))
        let summary = try fixture.ingest(url)
        #expect(summary.rejected == 3)
        let bytes = try Data(contentsOf: try #require(summary.rejectsURL))
        let text = String(decoding: bytes, as: UTF8.self)
        for value in ["Zebulon", "Quartermaine", "0612345678", "612345678"] {
            #expect(!text.contains(value), "the rejects file holds \(value)")
        }
        let rejects = try IngestFixture.rejects(summary)
        #expect(rejects[0][7] == IdentityLookalike.marker)
        #expect(rejects[1][6] == IdentityLookalike.marker)
        // What does not look like identity is copied as typed: the clerk fixes "robot" in place.
        #expect(rejects[2][5] == "robot" && rejects[2][4] == "04/11/2026")
        #expect(rejects[0][4] == "03/11/2026" && rejects[0][3] == fixture.codes[4].display)
    }
}
