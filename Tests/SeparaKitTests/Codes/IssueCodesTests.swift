import Foundation
import Testing

@testable import SeparaKit

@Suite("codes issue")
struct IssueCodesTests {
    @Test(
        "a batch note that could name or reach a person is refused, and nothing is issued",
        arguments: ["for Mr Q, tel +39 333 1234567", "name: Zebulon", "zq@example.org batch", "call 0611222333"])
    func notesThatLookLikeIdentityAreRefused(note: String) throws {
        let root = TestPaths.temporaryDirectory("separa-issue")
        let workspace = try Workspace.create(at: root, config: .defaults(siteName: "Issue Test"))
        let store = try workspace.openStore()
        #expect {
            _ = try IssueCodes.run(workspace: workspace, store: store, count: 3, note: note)
        } throws: { error in
            guard case CodeRegistryError.noteLooksLikeIdentity = error else { return false }
            return "\(error)".contains("nothing was issued") && !"\(error)".contains(note)
        }
        #expect(try CodeRegistry(workspace: workspace, store: store).batches().isEmpty)
        let issued = try IssueCodes.run(workspace: workspace, store: store, count: 3, note: "March intake, site B")
        #expect(issued.batch.note == "March intake, site B")
    }
}
