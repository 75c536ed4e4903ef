// Every test file of this target sees the shared test support (processes, folders, the
// stand-in cluster) without importing it.
@_exported import TestSupport
