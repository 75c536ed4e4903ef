enum GitRepository { static func root(containing path: String) throws -> String? { nil } }
struct RepositoryInfo { var root: String; var headCommit: String?; var branch: String?; var isDirty: Bool }
extension GitRepository { static func discover(from path: String) throws -> RepositoryInfo? { nil } }
