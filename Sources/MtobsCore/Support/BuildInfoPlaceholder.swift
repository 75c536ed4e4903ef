// TEMPORARY until the build-info plugin lands.
package enum BuildInfo {
  package static let commit: String? = nil
  package static let dirty: Bool = false
}
