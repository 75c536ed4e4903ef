enum GitRepository { static func root(containing path: String) throws -> String? { nil } }
