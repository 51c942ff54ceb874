import Foundation
import SeparaKit
import Testing

/// Every vector of the age testkit in ../shared/testdata/age-testkit that does not need post-quantum keys.
@Suite("age testkit (C2SP CCTV vectors)")
struct AgeTestkitTests {
    @Test(
        "each vector ends in its expected class, releasing exactly the expected plaintext",
        .enabled(if: TestPaths.hasSharedTestData, TestPaths.sharedTestDataMissing),
        arguments: AgeTestVector.supportedNames)
    func vector(_ name: String) throws {
        let vector = try AgeTestVector(name: name)
        let outcome = AgeOutcome.decrypt(
            vector.file, identities: try vector.ageIdentities(), armor: vector.armored ? .armored : .binary)
        if let expected = vector.expectedClass {
            #expect(outcome.error != nil, "\(name): expected \(vector.expect), but it decrypted")
            #expect(
                outcome.failureClass == expected,
                "\(name): expected \(vector.expect), got \(outcome.error.map { "\($0)" } ?? "success")")
        } else {
            #expect(outcome.error == nil, "\(name): expected success, got \(outcome.error.map { "\($0)" } ?? "")")
        }
        if let payload = vector.payload {
            #expect(outcome.sha256 == payload, "\(name): the released plaintext does not hash to the expected payload")
        } else {
            #expect(outcome.released.isEmpty, "\(name): plaintext released although the header is bad")
        }
    }

    @Test(
        "files that decrypt also decrypt with armor detection",
        .enabled(if: TestPaths.hasSharedTestData, TestPaths.sharedTestDataMissing),
        arguments: AgeTestVector.supportedNames)
    func detection(_ name: String) throws {
        let vector = try AgeTestVector(name: name)
        guard vector.expect == "success" else { return }
        let outcome = AgeOutcome.decrypt(vector.file, identities: try vector.ageIdentities(), armor: .detect)
        #expect(outcome.error == nil)
        #expect(outcome.sha256 == vector.payload)
    }

    /// The skipped vectors are listed in the test output and pinned here, so that a new kind of skip is seen.
    @Test(
        "only the post-quantum hybrid vectors are skipped",
        .enabled(if: TestPaths.hasSharedTestData, TestPaths.sharedTestDataMissing))
    func skipped() {
        let skipped = AgeTestVector.postQuantumNames
        print(
            "age testkit: \(AgeTestVector.supportedNames.count) of \(AgeTestVector.allNames.count) vectors run; "
                + "SKIPPED \(skipped.count) that need post-quantum hybrid keys (not supported): "
                + skipped.joined(separator: ", "))
        #expect(
            skipped == [
                "armor_hybrid", "hybrid_and_x25519", "hybrid_bad_tag", "hybrid_currupted_enc_mlkem",
                "hybrid_extra_argument", "hybrid_grease", "hybrid_identity", "hybrid_long_share", "hybrid_low_order",
                "hybrid_multiple_recipients", "hybrid_not_canonical_body", "hybrid_not_canonical_enc",
                "hybrid_short_share", "hybrid_x25519_arg",
            ])
        #expect(AgeTestVector.supportedNames.count + skipped.count == AgeTestVector.allNames.count)
        #expect(AgeTestVector.supportedNames.count >= 94)
    }
}
