import ArgumentParser
import Foundation

/// `mtobs completion SHELL`: the argument parser's script for the built-in commands, plus the
/// thin layer it cannot generate (its issues #343, #779): global options before the command name,
/// plugin names with their summaries at the command position, and a plugin's own arguments. Both
/// come from the binary at TAB time (`DynamicCompletion`), so a plugin added later completes at
/// once. `completions/` holds exactly this output (scripts/generate-docs).
enum CompletionScripts {
  static func script(for shell: CompletionShell) -> String {
    let generated = RootCommand.completionScript(for: shell)
    switch shell {
    case .bash: return bash(generated)
    case .zsh: return zsh(generated)
    case .fish: return fish(generated)
    default: return generated
    }
  }

  /// One global option as the shells name it.
  struct GlobalOption: Equatable {
    var long: String?
    var short: String?
    var takesValue: Bool
    var spellings: [String] { [short.map { "-" + $0 }, long.map { "--" + $0 }].compactMap { $0 } }
  }

  /// The global options, read from the parser's own definition of `GlobalOptions` so a new one is
  /// never missed here.
  static let globalOptions: [GlobalOption] = {
    guard let data = GlobalOptions._dumpHelp().data(using: .utf8),
      let tool = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
      let command = tool["command"] as? [String: Any], let arguments = command["arguments"] as? [[String: Any]]
    else { return [] }
    return arguments.compactMap { argument in
      guard let kind = argument["kind"] as? String, kind == "option" || kind == "flag",
        let names = argument["names"] as? [[String: String]]
      else { return nil }
      let option = GlobalOption(
        long: names.first { $0["kind"] == "long" }?["name"], short: names.first { $0["kind"] == "short" }?["name"],
        takesValue: kind == "option")
      return ["help", "version"].contains(option.long ?? "") ? nil : option
    }
  }()

  /// The built-in command names, which are never plugins.
  static var builtinList: String { RootCommand.builtinNames.joined(separator: " ") }

  /// The command whose copy of the global options answers their values before the command name.
  static let globalOptionsOwner = "health"

  // MARK: - bash

  static func bash(_ generated: String) -> String {
    let flags = globalOptions.filter { !$0.takesValue }.flatMap(\.spellings).joined(separator: " ")
    let options = globalOptions.filter(\.takesValue).flatMap(\.spellings).joined(separator: " ")
    var script = generated
    // The root accepts the global options, so `mtobs --context dev health --<TAB>` completes health.
    script = script.replacingFirst(
      of: """
        _mtobs() {
        """,
      with: "_mtobs() {",
      then: [
        ("local -a non_repeating_flags=(", "local -a non_repeating_flags=(\(flags) "),
        ("local -a non_repeating_options=()", "local -a non_repeating_options=(\(options))"),
      ])
    script = script.replacingOccurrences(of: "complete -o filenames -F _mtobs mtobs", with: "")
    let valueOptions = " " + options + " "
    return script.trimmingTrailingNewlines() + "\n\n" + """
      # mtobs: what the parser's script above cannot know. Global options before the command name,
      # plugins (mtobs-NAME) at the command position, and a plugin's own arguments, asked of mtobs
      # at TAB time.
      __mtobs_builtins=' \(builtinList) '
      __mtobs_global_value_options='\(valueOptions)'

      # bash splits words at the '=' of COMP_WORDBREAKS: `--context=dev` arrives as `--context`, `=`,
      # `dev`. The parser's script reads `--context dev`, so the words are rewritten that way (the
      # line up to the cursor with them); the value after '=' is what bash replaces, as with a space.
      __mtobs_join_option_values() {
          local -a joined=()
          local -i index cword=0
          for ((index = 0; index <= COMP_CWORD && index < ${#COMP_WORDS[@]}; index++)); do
              if [[ "${COMP_WORDS[index]}" == = && "${joined[${#joined[@]} - 1]}" == --?* ]]; then
                  if (( index < COMP_CWORD )); then
                      ((index += 1))
                      joined+=("${COMP_WORDS[index]}")
                  else
                      joined+=('')
                  fi
              else
                  joined+=("${COMP_WORDS[index]}")
              fi
              cword=$((${#joined[@]} - 1))
          done
          COMP_WORDS=("${joined[@]}")
          COMP_CWORD=${cword}
          COMP_LINE="${joined[*]}"
          COMP_POINT=${#COMP_LINE}
      }

      _mtobs_dynamic() {
          local -a COMP_WORDS=("${COMP_WORDS[@]}")
          local COMP_CWORD="${COMP_CWORD}" COMP_LINE="${COMP_LINE}" COMP_POINT="${COMP_POINT}"
          __mtobs_join_option_values
          set -- "${1}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
          local cur="${2}"
          local -i index=1
          local word
          # Skip the global options (and their values) written before the command name.
          while (( index < COMP_CWORD )); do
              word="${COMP_WORDS[index]}"
              if [[ "${__mtobs_global_value_options}" == *" ${word} "* ]]; then
                  ((index += 2))
              elif [[ "${word}" == -* ]]; then
                  ((index += 1))
              else
                  break
              fi
          done
          if (( index > COMP_CWORD )); then
              # The value of a global option before the command name.
              case "${3}" in
              --kubeconfig|--config)
                  __mtobs_add_completions -f
                  ;;
              --context|-n|--namespace)
                  local name="${3}"
                  [[ "${name}" == -n ]] && name=--namespace
                  __mtobs_add_completions -W "$(SAP_SHELL=bash __mtobs_custom_complete ---completion \(globalOptionsOwner) -- "${name}" "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)" 2>/dev/null)"
                  ;;
              esac
              return
          fi
          if (( index == COMP_CWORD )); then
              _mtobs "${@}"
              if [[ "${cur}" != -* ]]; then
                  __mtobs_add_completions -W "$("${COMP_WORDS[0]}" ---mtobs-complete plugins bash 2>/dev/null)"
              fi
              return
          fi
          word="${COMP_WORDS[index]}"
          if [[ "${word}" == help ]] && (( COMP_CWORD == index + 1 )); then
              # `mtobs help NAME`: any command, built-in or plugin.
              # One a line: the parser's helper splits the word list at newlines only.
              __mtobs_add_completions -W "$(printf '%s\\n' ${__mtobs_builtins}; "${COMP_WORDS[0]}" ---mtobs-complete plugins bash 2>/dev/null)"
              return
          fi
          if [[ "${__mtobs_builtins}" != *" ${word} "* ]]; then
              # A plugin: its own completion command, if it declares one.
              __mtobs_add_completions -W "$("${COMP_WORDS[0]}" ---mtobs-complete arguments bash "${COMP_WORDS[@]:index:COMP_CWORD-index+1}" 2>/dev/null)"
              return
          fi
          _mtobs "${@}"
      }

      complete -o filenames -F _mtobs_dynamic mtobs

      """
  }

  // MARK: - zsh

  static func zsh(_ generated: String) -> String {
    var script = acceptingEqualsValues(zshGenerated: generated)
    let specs = globalOptionSpecs(zshGenerated: script)
    script = script.replacingFirst(
      of: "        '(-): :->command'\n",
      with: specs.map { "        " + $0 + "\n" }.joined() + "        '(-): :->command'\n")
    script = script.replacingFirst(
      of: "        _describe -V subcommand subcommands && ret=0\n",
      with: """
                _describe -V subcommand subcommands && ret=0
                __mtobs_plugins && ret=0

        """)
    script = script.replacingFirst(
      of: "            \"_mtobs_${words[1]}\" && ret=0\n            ;;\n",
      with: """
                    "_mtobs_${words[1]}" && ret=0
                    ;;
                *)
                    __mtobs_plugin_arguments && ret=0
                    ;;

        """)
    // `mtobs help NAME`: any command, built-in or plugin (the parser offers nothing there).
    script = script.replacingFirst(
      of: "_mtobs_help() {\n    local -i ret=1\n    local -ar arg_specs=(\n        '*:subcommands:'\n",
      with: "_mtobs_help() {\n    local -i ret=1\n    local -ar arg_specs=(\n        ':command:__mtobs_help_commands'\n"
    )
    let helpers = """
      # mtobs: plugins (mtobs-NAME) with their summaries at the command position, and a plugin's own
      # arguments, asked of mtobs at TAB time (the parser's script knows only the built-ins).
      __mtobs_plugins() {
          local -a plugins
          plugins=("${(@f)"$("${command_name}" ---mtobs-complete plugins zsh 2>/dev/null)"}")
          plugins=("${(@)plugins:#}")
          (( ${#plugins[@]} )) || return 1
          _describe -V plugin plugins
      }

      __mtobs_help_commands() {
          local -a builtins=(\(builtinList))
          local -i found=1
          _describe -V command builtins && found=0
          __mtobs_plugins && found=0
          return found
      }

      __mtobs_plugin_arguments() {
          local -a candidates
          candidates=("${(@f)"$("${command_name}" ---mtobs-complete arguments zsh "${(@)words[1,CURRENT]}" 2>/dev/null)"}")
          candidates=("${(@)candidates:#}")
          (( ${#candidates[@]} )) || return 1
          _describe -V plugin-argument candidates
      }


      """
    return script.replacingFirst(of: "_mtobs() {\n", with: helpers + "_mtobs() {\n")
  }

  /// Long options with a value take it after '=' too (`--kubeconfig=FILE`), as the parser does:
  /// `_arguments` reads `--name=[…]` as "in the next word, or in this one after '='".
  static func acceptingEqualsValues(zshGenerated generated: String) -> String {
    generated.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      var text = String(line)
      // A spec with a value has "]:" after its description; a flag's ends in "]'".
      guard text.hasPrefix("        '"), let description = text.firstIndex(of: "["), text.contains("]:") else {
        return text
      }
      let name = text[..<description]
      if name.hasSuffix("}'") {
        // '(-n --namespace)'{-n,--namespace}'[…]: the long spelling is the brace's last.
        text.insert("=", at: text.index(name.endIndex, offsetBy: -2))
      } else if name.range(of: #"--[A-Za-z0-9-]+$"#, options: .regularExpression) != nil {
        text.insert("=", at: name.endIndex)
      }
      return text
    }.joined(separator: "\n")
  }

  /// The `_arguments` specs of the global options, as the generated script writes them for one
  /// command (values completed the same way).
  static func globalOptionSpecs(zshGenerated generated: String) -> [String] {
    guard let start = generated.range(of: "\n_mtobs_\(globalOptionsOwner)() {\n") else { return [] }
    let lines = generated[start.upperBound...].split(separator: "\n").prefix { $0 != "}" }.map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    return lines.filter { line in
      globalOptions.contains { option in
        option.long.map { long in
          ["'--\(long)[", "'--\(long)=["].contains { line.hasPrefix($0) }
            || [",--\(long)}", ",--\(long)=}"].contains { line.contains($0) }
        } ?? false
      }
    }
  }

  // MARK: - fish

  static func fish(_ generated: String) -> String {
    let specs = globalOptions.map { option in
      "'" + [option.short, option.long].compactMap { $0 }.joined(separator: "/") + (option.takesValue ? "=" : "") + "'"
    }.joined(separator: " ")
    var script = generated
    script = script.replacingFirst(
      of: "        __mtobs_parse_subcommand 0 'version' 'h/help'\n",
      with: "        __mtobs_parse_subcommand 0 \(specs) 'version' 'h/help'\n")
    // Built-in names only where the command name goes, not after a plugin's name.
    script = script.replacingOccurrences(
      of: "-n '__mtobs_should_offer_completions_for_positional \"mtobs\" -eq 1'",
      with: "-n '__mtobs_at_command_position'")
    // fish 3's `commandline -tC` prints nothing (or fails) inside `complete -C`, and the parser
    // then refuses the request: fall back to the current token's length, where the cursor is.
    script = script.replacingOccurrences(of: "(__mtobs_tokens -tC)", with: "(__mtobs_cursor_index)")
    // The global options before the command name: the owner command's lines, for the root.
    let owner = "__mtobs_should_offer_completions_for_flags_or_options \"mtobs \(globalOptionsOwner)\""
    let rootLines = script.split(separator: "\n").filter { line in
      line.contains(owner + " ")
        && globalOptions.contains { option in option.long.map { line.contains(" -l '\($0)'") } ?? false }
    }.map {
      $0.replacingOccurrences(of: owner, with: "__mtobs_should_offer_completions_for_flags_or_options \"mtobs\"")
    }
    script = script.trimmingTrailingNewlines() + "\n" + rootLines.joined(separator: "\n")
    // The root's options only before the command name: after a plugin's name they are its own.
    script = script.replacingOccurrences(
      of: "-n '__mtobs_should_offer_completions_for_flags_or_options \"mtobs\" ",
      with: "-n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options \"mtobs\" ")
    return script + "\n\n" + """
      # mtobs: plugins (mtobs-NAME) with their summaries at the command position, and a plugin's own
      # arguments, asked of mtobs at TAB time (the parser's script knows only the built-ins).
      function __mtobs_cursor_index
          set -l index (__mtobs_tokens -tC 2> /dev/null)
          test -n "$index"; or set index (string length -- "$(commandline -ct)")
          printf '%s\\n' $index
      end

      function __mtobs_command_words
          set -l tokens (__mtobs_tokens -pc)
          argparse -s \(specs) -- $tokens[2..] 2> /dev/null; or return 1
          test (count $argv) -eq 0; or printf '%s\\n' $argv
      end

      function __mtobs_at_command_position
          set -l words (__mtobs_command_words); or return 1
          test (count $words) -eq 0
      end

      function __mtobs_after_command_name
          set -l words (__mtobs_command_words); or return 1
          test (count $words) -gt 0
      end

      function __mtobs_plugin_position
          set -l words (__mtobs_command_words); or return 1
          test (count $words) -gt 0; and not contains -- $words[1] \(builtinList)
      end

      function __mtobs_dynamic
          set -l tokens (__mtobs_tokens -p)
          command $tokens[1] ---mtobs-complete $argv 2> /dev/null
      end

      function __mtobs_plugin_arguments
          __mtobs_dynamic arguments fish (__mtobs_command_words) (commandline -ct)
      end

      function __mtobs_help_position
          set -l words (__mtobs_command_words); or return 1
          test (count $words) -eq 1; and test "$words[1]" = help
      end

      complete -c 'mtobs' -n '__mtobs_at_command_position' -fa '(__mtobs_dynamic plugins fish)'
      complete -c 'mtobs' -n '__mtobs_help_position' -fa '\(builtinList) (__mtobs_dynamic plugins fish)'
      complete -c 'mtobs' -n '__mtobs_plugin_position' -fa '(__mtobs_plugin_arguments)'

      """
  }
}

extension String {
  /// Replaces the first `target`; with `then`, also the first of each pair after it, in order.
  fileprivate func replacingFirst(
    of target: String, with replacement: String, then: [(String, String)] = []
  )
    -> String
  {
    guard let found = range(of: target) else { return self }
    var result = self
    result.replaceSubrange(found, with: replacement)
    var position = result.index(found.lowerBound, offsetBy: replacement.count)
    for (old, new) in then {
      guard let next = result.range(of: old, range: position..<result.endIndex) else { continue }
      result.replaceSubrange(next, with: new)
      position = result.index(next.lowerBound, offsetBy: new.count)
    }
    return result
  }

  fileprivate func trimmingTrailingNewlines() -> String {
    var text = self
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }
}
