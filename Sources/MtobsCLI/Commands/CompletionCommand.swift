import ArgumentParser

struct CompletionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "completion",
    abstract: "Print a shell completion script.",
    discussion: """
      Load it in the current shell, or install the copies shipped in completions/:
        bash:  source <(mtobs completion bash)
        zsh:   mtobs completion zsh > "${fpath[1]}/_mtobs"
        fish:  mtobs completion fish > ~/.config/fish/completions/mtobs.fish

      Examples:
        source <(mtobs completion bash)      # in ~/.bashrc
        mtobs completion zsh > ~/.zfunc/_mtobs
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The shell: bash, zsh or fish.")
  var shell: CompletionShell

  func run() throws {
    print(CompletionScripts.script(for: shell), terminator: "")
  }
}

extension CompletionShell: @retroactive ExpressibleByArgument {}
