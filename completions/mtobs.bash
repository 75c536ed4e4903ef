#!/bin/bash

__mtobs_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__mtobs_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__mtobs_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__mtobs_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_mtobs() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout)
    __mtobs_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    deploy|health|debug-dapr|verify|logs|grafana|pyroscope|forward|bundle|version|config|completion|plugin|help)
        # Offer subcommand argument completions
        "_mtobs_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'deploy health debug-dapr verify logs grafana pyroscope forward bundle version config completion plugin help' -- "${cur}"))
        ;;
    esac
}

_mtobs_deploy() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --wait --no-wait --verify --yes --require-clean --history --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -p --profile --with --timeout -o --output)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion deploy -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion deploy -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-p'|'--profile')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion deploy -- --profile "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--with')
        __mtobs_add_completions -W 'skaffold'$'\n''helm'
        return
        ;;
    '--timeout')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'table'$'\n''json'
        return
        ;;
    esac
}

_mtobs_health() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=(--skip --category)
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -o --output --fail-on --from --wait)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion health -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion health -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'table'$'\n''json'$'\n''short'
        return
        ;;
    '--fail-on')
        __mtobs_add_completions -W 'warning'
        return
        ;;
    '--skip')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion health -- --skip "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--category')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion health -- --category "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--from')
        __mtobs_add_completions -f
        return
        ;;
    '--wait')
        return
        ;;
    esac
}

_mtobs_debug-dapr() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --all-namespaces --fix --apply --yes --probe --version -h --help)
    repeating_options=(--skip --category --app-namespace)
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -o --output --fail-on --from --wait --probe-image --probe-timeout)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion debug-dapr -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion debug-dapr -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'table'$'\n''json'$'\n''short'
        return
        ;;
    '--fail-on')
        __mtobs_add_completions -W 'warning'
        return
        ;;
    '--skip')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion debug-dapr -- --skip "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--category')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion debug-dapr -- --category "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--from')
        __mtobs_add_completions -f
        return
        ;;
    '--app-namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion debug-dapr -- --app-namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--wait')
        return
        ;;
    '--probe-image')
        return
        ;;
    '--probe-timeout')
        return
        ;;
    esac
}

_mtobs_verify() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --send --version -h --help)
    repeating_options=(--skip --category)
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -o --output --fail-on --from --app-namespace --since --metrics-query --wait)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion verify -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion verify -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'table'$'\n''json'$'\n''short'
        return
        ;;
    '--fail-on')
        __mtobs_add_completions -W 'warning'
        return
        ;;
    '--skip')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion verify -- --skip "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--category')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion verify -- --category "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--from')
        __mtobs_add_completions -f
        return
        ;;
    '--app-namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion verify -- --app-namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--since')
        return
        ;;
    '--metrics-query')
        return
        ;;
    '--wait')
        return
        ;;
    esac
}

_mtobs_logs() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --app -f --follow --timestamps -p --previous --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -l --selector --since --stall-timeout --tail -c --container --grep --exclude --node -o --output --order --max-streams --loki --limit)
    __mtobs_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion logs -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion logs -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-l'|'--selector')
        return
        ;;
    '--since')
        return
        ;;
    '--stall-timeout')
        return
        ;;
    '--tail')
        return
        ;;
    '-c'|'--container')
        return
        ;;
    '--grep')
        return
        ;;
    '--exclude')
        return
        ;;
    '--node')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--order')
        __mtobs_add_completions -W 'arrival'$'\n''time'
        return
        ;;
    '--max-streams')
        return
        ;;
    '--loki')
        return
        ;;
    '--limit')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion logs -- positional@0 "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_mtobs_grafana() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --open --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout --port --address)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion grafana -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion grafana -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--port')
        return
        ;;
    '--address')
        return
        ;;
    esac
}

_mtobs_pyroscope() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --open --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout --port --address)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion pyroscope -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion pyroscope -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--port')
        return
        ;;
    '--address')
        return
        ;;
    esac
}

_mtobs_forward() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --all --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout --port -o --output --address)
    __mtobs_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion forward -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion forward -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--port')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--address')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion forward -- positional@0 "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_mtobs_bundle() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -o --output --tail)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion bundle -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion bundle -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -f
        return
        ;;
    '--tail')
        return
        ;;
    esac
}

_mtobs_version() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --client --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -o --output)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion version -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion version -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'table'$'\n''json'
        return
        ;;
    esac
}

_mtobs_config() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -o --output)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion config -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion config -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'table'$'\n''json'
        return
        ;;
    esac
}

_mtobs_completion() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout)
    __mtobs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion completion -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion completion -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mtobs_add_completions -W 'zsh'$'\n''bash'$'\n''fish'
        return
        ;;
    esac
}

_mtobs_plugin() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __mtobs_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|trust|untrust|install|upgrade|remove)
        # Offer subcommand argument completions
        "_mtobs_plugin_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list trust untrust install upgrade remove' -- "${cur}"))
        ;;
    esac
}

_mtobs_plugin_list() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout -o --output)
    __mtobs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin list -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin list -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-o'|'--output')
        __mtobs_add_completions -W 'table'$'\n''json'
        return
        ;;
    esac
}

_mtobs_plugin_trust() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout)
    __mtobs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin trust -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin trust -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mtobs_add_completions -d
        return
        ;;
    esac
}

_mtobs_plugin_untrust() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout)
    __mtobs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin untrust -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin untrust -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __mtobs_add_completions -d
        return
        ;;
    esac
}

_mtobs_plugin_install() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout --ref --name)
    __mtobs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin install -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin install -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--ref')
        return
        ;;
    '--name')
        return
        ;;
    esac
}

_mtobs_plugin_upgrade() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --all --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout)
    __mtobs_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin upgrade -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin upgrade -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    esac
}

_mtobs_plugin_remove() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --dry-run --no-color --version -h --help)
    repeating_options=()
    non_repeating_options=(--context --kubeconfig -n --namespace --config --request-timeout)
    __mtobs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--context')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin remove -- --context "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--kubeconfig')
        __mtobs_add_completions -f
        return
        ;;
    '-n'|'--namespace')
        __mtobs_add_completions -W "$(__mtobs_custom_complete ---completion plugin remove -- --namespace "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)")"
        return
        ;;
    '--config')
        __mtobs_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--request-timeout')
        return
        ;;
    esac
}

_mtobs_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __mtobs_offer_flags_options -1
}

# mtobs: what the parser's script above cannot know. Global options before the command name,
# plugins (mtobs-NAME) at the command position, and a plugin's own arguments, asked of mtobs
# at TAB time.
__mtobs_builtins=' deploy health debug-dapr verify logs grafana pyroscope forward bundle version config completion plugin help '
__mtobs_global_value_options=' --context --kubeconfig -n --namespace --config --request-timeout '

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
            __mtobs_add_completions -W "$(SAP_SHELL=bash __mtobs_custom_complete ---completion health -- "${name}" "${COMP_CWORD}" "$(__mtobs_cursor_index_in_current_word)" 2>/dev/null)"
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
        __mtobs_add_completions -W "$(printf '%s\n' ${__mtobs_builtins}; "${COMP_WORDS[0]}" ---mtobs-complete plugins bash 2>/dev/null)"
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
