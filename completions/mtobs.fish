function __mtobs_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mtobs_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mtobs_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mtobs_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mtobs_parse_tokens -S
    set -l unparsed_tokens (__mtobs_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mtobs'
        __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'deploy'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'p/profile=' 'with=' 'wait' 'no-wait' 'verify' 'timeout=' 'yes' 'require-clean' 'history' 'o/output=' 'version' 'h/help'
        case 'health'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'o/output=' 'fail-on=' 'skip=+' 'category=+' 'from=' 'wait=' 'version' 'h/help'
        case 'debug-dapr'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'o/output=' 'fail-on=' 'skip=+' 'category=+' 'from=' 'app-namespace=+' 'all-namespaces' 'wait=' 'fix' 'apply' 'yes' 'probe' 'probe-image=' 'probe-timeout=' 'version' 'h/help'
        case 'verify'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'o/output=' 'fail-on=' 'skip=+' 'category=+' 'from=' 'app-namespace=' 'since=' 'metrics-query=' 'send' 'wait=' 'version' 'h/help'
        case 'logs'
            __mtobs_parse_subcommand -r 1 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'l/selector=' 'app' 'f/follow' 'since=' 'stall-timeout=' 'tail=' 'timestamps' 'c/container=' 'grep=' 'exclude=' 'p/previous' 'node=' 'o/output=' 'order=' 'max-streams=' 'loki=' 'limit=' 'version' 'h/help'
        case 'grafana'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'port=' 'open' 'address=' 'version' 'h/help'
        case 'pyroscope'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'port=' 'open' 'address=' 'version' 'h/help'
        case 'forward'
            __mtobs_parse_subcommand -r 1 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'all' 'port=' 'o/output=' 'address=' 'version' 'h/help'
        case 'bundle'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'o/output=' 'tail=' 'version' 'h/help'
        case 'version'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'client' 'o/output=' 'version' 'h/help'
        case 'config'
            __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'o/output=' 'version' 'h/help'
        case 'completion'
            __mtobs_parse_subcommand 1 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'version' 'h/help'
        case 'plugin'
            __mtobs_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __mtobs_parse_subcommand 0 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'o/output=' 'version' 'h/help'
            case 'trust'
                __mtobs_parse_subcommand 1 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'version' 'h/help'
            case 'untrust'
                __mtobs_parse_subcommand 1 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'version' 'h/help'
            case 'install'
                __mtobs_parse_subcommand 1 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'ref=' 'name=' 'version' 'h/help'
            case 'upgrade'
                __mtobs_parse_subcommand -r 1 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'all' 'force' 'version' 'h/help'
            case 'remove'
                __mtobs_parse_subcommand 1 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' 'version' 'h/help'
            end
        case 'help'
            __mtobs_parse_subcommand -r 1 'version'
        end
    end
end

function __mtobs_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mtobs_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mtobs_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mtobs_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mtobs_tokens -p)
    if test -z "$(__mtobs_tokens -t)"
        set -l index (count (__mtobs_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mtobs' -f
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'deploy' -d 'Deploy the observability stack, wait for it, and record the deploy in the cluster.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'health' -d 'Check the whole stack at once and say what is wrong and what to run next.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'debug-dapr' -d 'Find out why Dapr\'s traces do not reach the collector, and print the fix.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'verify' -d 'Check that data really flows: the seed\'s five "Verify in Grafana" steps as one report.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'logs' -d 'Read the logs of every pod and container of stack components at once, or query Loki.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'grafana' -d 'Open Grafana on a local port through a supervised port-forward.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'pyroscope' -d 'Open Pyroscope on a local port through a supervised port-forward.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'forward' -d 'Forward several components to local ports at once, supervised.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'bundle' -d 'Capture everything `health` reads into one file for offline analysis.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'version' -d 'Print the versions of mtobs, kubectl, skaffold, helm and the cluster.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'config' -d 'Show the effective configuration and where each value comes from.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'completion' -d 'Print a shell completion script.'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'plugin' -d 'List, trust, install, upgrade and remove plugins (mtobs-NAME executables).'
complete -c 'mtobs' -n '__mtobs_at_command_position' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion deploy -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion deploy -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" p profile' -s 'p' -l 'profile' -d 'The skaffold profile (default: infra-observability).' -rfka '(__mtobs_custom_completion ---completion deploy -- --profile (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" with' -l 'with' -d 'Deploy with skaffold or helm (default: skaffold when installed).' -rfka 'skaffold helm'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" wait' -l 'wait' -d 'Wait for the rollouts, then run `mtobs health --wait` (the default).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" no-wait' -l 'no-wait' -d 'Return once the deploy commands finish: no rollout wait, no health check.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" verify' -l 'verify' -d 'After health, run `mtobs verify --wait` within what is left of --timeout (data flows end to end); not with --no-wait.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" timeout' -l 'timeout' -d 'How long to wait for each release and rollout (e.g. 5m).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" yes' -l 'yes' -d 'Do not ask before deploying to a protected context.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" require-clean' -l 'require-clean' -d 'Refuse to deploy from a repository with uncommitted changes.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" history' -l 'history' -d 'Show the recorded deploys instead of deploying.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" o output' -s 'o' -l 'output' -d 'Output format of --history: table or json.' -rfka 'table json'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs deploy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion health -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion health -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" o output' -s 'o' -l 'output' -d 'Output format: table, json or short.' -rfka 'table json short'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" fail-on' -l 'fail-on' -d 'Also fail (exit 1) on warnings.' -rfka 'warning'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health"' -l 'skip' -d 'Skip the checks whose id matches the glob (repeatable).' -rfka '(__mtobs_custom_completion ---completion health -- --skip (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health"' -l 'category' -d 'Only run the checks of this category (repeatable).' -rfka '(__mtobs_custom_completion ---completion health -- --category (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" from' -l 'from' -d 'Evaluate a bundle made by `mtobs bundle` instead of the cluster.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" wait' -l 'wait' -d 'Keep checking until the stack is healthy or DURATION passes (e.g. 2m).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs health" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion debug-dapr -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion debug-dapr -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" o output' -s 'o' -l 'output' -d 'Output format: table, json or short.' -rfka 'table json short'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" fail-on' -l 'fail-on' -d 'Also fail (exit 1) on warnings.' -rfka 'warning'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr"' -l 'skip' -d 'Skip the checks whose id matches the glob (repeatable).' -rfka '(__mtobs_custom_completion ---completion debug-dapr -- --skip (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr"' -l 'category' -d 'Only run the checks of this category (repeatable).' -rfka '(__mtobs_custom_completion ---completion debug-dapr -- --category (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" from' -l 'from' -d 'Evaluate a bundle made by `mtobs bundle` instead of the cluster.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr"' -l 'app-namespace' -d 'A namespace of Dapr apps to check (repeatable; default: the app-namespace setting).' -rfka '(__mtobs_custom_completion ---completion debug-dapr -- --app-namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" all-namespaces' -l 'all-namespaces' -d 'Check every namespace that holds a Dapr-enabled pod or a Configuration.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" wait' -l 'wait' -d 'Keep checking until nothing fails or DURATION passes (e.g. 2m).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" fix' -l 'fix' -d 'Print the corrected Configuration and the kubectl apply command.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" apply' -l 'apply' -d 'With --fix: apply the corrected Configuration after showing the diff.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" yes' -l 'yes' -d 'With --fix --apply: do not ask before changing a protected context.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" probe' -l 'probe' -d 'Start a short-lived pod in each app namespace that resolves the collector and posts one span.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" probe-image' -l 'probe-image' -d 'The probe pod\'s image (needs sh, nslookup, nc, wget).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" probe-timeout' -l 'probe-timeout' -d 'How long the probe pod may take, start to end.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs debug-dapr" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion verify -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion verify -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" o output' -s 'o' -l 'output' -d 'Output format: table, json or short.' -rfka 'table json short'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" fail-on' -l 'fail-on' -d 'Also fail (exit 1) on warnings.' -rfka 'warning'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify"' -l 'skip' -d 'Skip the checks whose id matches the glob (repeatable).' -rfka '(__mtobs_custom_completion ---completion verify -- --skip (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify"' -l 'category' -d 'Only run the checks of this category (repeatable).' -rfka '(__mtobs_custom_completion ---completion verify -- --category (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" from' -l 'from' -d 'Evaluate a bundle made by `mtobs bundle` instead of the cluster.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" app-namespace' -l 'app-namespace' -d 'Namespace of the applications whose logs are looked for (default: config app-namespace).' -rfka '(__mtobs_custom_completion ---completion verify -- --app-namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" since' -l 'since' -d 'How far back the queries look (e.g. 15m, 1h; default: 15m).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" metrics-query' -l 'metrics-query' -d 'The PromQL query whose series must all be 1 (default: up{job="otel-collector"}).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" send' -l 'send' -d 'Also send a marked span, log record and metric and time their arrival (writes telemetry).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" wait' -l 'wait' -d 'Keep checking until data flows or DURATION passes; with --send, how long to wait for the signals (default with --send: 60s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion logs -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion logs -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs logs" -ge 1' -fka '(__mtobs_custom_completion ---completion logs -- positional@0 (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" l selector' -s 'l' -l 'selector' -d 'Only pods with these labels (as kubectl -l).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" app' -l 'app' -d 'Read the app namespace (config app_namespace, default mathtrail) with its daprd sidecars.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" f follow' -s 'f' -l 'follow' -d 'Keep following: new lines, new pods, restarted containers.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" since' -l 'since' -d 'Only lines newer than this (e.g. 10m, 1h).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" stall-timeout' -l 'stall-timeout' -d 'With -f: reopen a stream that delivered nothing for this long, from its last line (0: never).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" tail' -l 'tail' -d 'Only the last N lines of each container at the start.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" timestamps' -l 'timestamps' -d 'Show the timestamp of each line.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" c container' -s 'c' -l 'container' -d 'Only containers whose name matches.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" grep' -l 'grep' -d 'Only lines that match.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" exclude' -l 'exclude' -d 'Leave out lines that match.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" p previous' -s 'p' -l 'previous' -d 'The previous instance of each container (after a crash).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" node' -l 'node' -d 'Only pods on this node.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" o output' -s 'o' -l 'output' -d 'Output: text or json (one object a line).' -rfka 'text json'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" order' -l 'order' -d 'Line order: arrival (fastest) or time (one timeline, see above).' -rfka 'arrival time'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" max-streams' -l 'max-streams' -d 'Warn above this many streams (nothing is refused).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" loki' -l 'loki' -d 'Query Loki with this LogQL instead of reading pods.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" limit' -l 'limit' -d 'With --loki: the most lines per query (default 1000).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs logs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion grafana -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion grafana -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" port' -l 'port' -d 'The local port (0: any free port).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" open' -l 'open' -d 'Open the browser once Grafana answers (xdg-open or open).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" address' -l 'address' -d 'The local address to listen on (other than loopback: reachable from the network).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs grafana" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion pyroscope -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion pyroscope -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" port' -l 'port' -d 'The local port (0: any free port).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" open' -l 'open' -d 'Open the browser once Pyroscope answers (xdg-open or open).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" address' -l 'address' -d 'The local address to listen on (other than loopback: reachable from the network).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs pyroscope" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion forward -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion forward -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs forward" -ge 1' -fka '(__mtobs_custom_completion ---completion forward -- positional@0 (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" all' -l 'all' -d 'Forward every component.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" port' -l 'port' -d 'The local port, for a single forward (0: any free port).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" o output' -s 'o' -l 'output' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" address' -l 'address' -d 'The local address to listen on (other than loopback: reachable from the network).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs forward" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion bundle -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion bundle -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" o output' -s 'o' -l 'output' -d 'Where to write the bundle (\'-\' for stdout).' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" tail' -l 'tail' -d 'Log lines to keep per container.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs bundle" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion version -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion version -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" client' -l 'client' -d 'Do not contact the cluster.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" o output' -s 'o' -l 'output' -d 'Output format: table or json.' -rfka 'table json'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs version" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion config -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion config -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" o output' -s 'o' -l 'output' -d 'Output format: table or json.' -rfka 'table json'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs config" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion completion -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion completion -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs completion" -eq 1' -fka 'zsh bash fish'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs completion" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs plugin" -eq 1' -fa 'list' -d 'List the plugins found, with their origin and anything that stops them from running.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs plugin" -eq 1' -fa 'trust' -d 'Allow the plugins in a repository\'s plugins.d to run, as they are now.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs plugin" -eq 1' -fa 'untrust' -d 'Stop running the plugins of a repository\'s plugins.d.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs plugin" -eq 1' -fa 'install' -d 'Install a plugin from a git repository (https:// URL or local path).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs plugin" -eq 1' -fa 'upgrade' -d 'Fast-forward installed plugins to the newest commit of their ref.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs plugin" -eq 1' -fa 'remove' -d 'Remove a plugin installed with \'mtobs plugin install\'.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion plugin list -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion plugin list -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" o output' -s 'o' -l 'output' -d 'Output format: table or json.' -rfka 'table json'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion plugin trust -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion plugin trust -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs plugin trust" -eq 1' -fa '(__mtobs_complete_directories)'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin trust" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion plugin untrust -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion plugin untrust -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_positional "mtobs plugin untrust" -eq 1' -fa '(__mtobs_complete_directories)'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin untrust" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion plugin install -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion plugin install -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" ref' -l 'ref' -d 'The branch, tag or commit to install (default: the default branch).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" name' -l 'name' -d 'The plugin to take, when the repository holds several.' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin install" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion plugin upgrade -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion plugin upgrade -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" all' -l 'all' -d 'Upgrade every installed plugin.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" force' -l 'force' -d 'Replace local modifications and accept rewritten history.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin upgrade" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion plugin remove -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion plugin remove -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs plugin remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mtobs' -n '__mtobs_should_offer_completions_for_flags_or_options "mtobs help" version' -l 'version' -d 'Show the version.'
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" context' -l 'context' -d 'The kubeconfig context to use.' -rfka '(__mtobs_custom_completion ---completion health -- --context (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" kubeconfig' -l 'kubeconfig' -d 'The kubeconfig file to use.' -rF
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" n namespace' -s 'n' -l 'namespace' -d 'The namespace of the observability stack (default: monitoring).' -rfka '(__mtobs_custom_completion ---completion health -- --namespace (count (__mtobs_tokens -pc)) (__mtobs_cursor_index))'
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" config' -l 'config' -d 'A configuration file read above the repository\'s mtobs.yaml.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" v verbose' -s 'v' -l 'verbose' -d 'Echo every external command, shell-quoted, with secrets masked.'
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" dry-run' -l 'dry-run' -d 'Print the commands that would change something instead of running them.'
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" no-color' -l 'no-color' -d 'Never colour the output (also NO_COLOR).'
complete -c 'mtobs' -n 'not __mtobs_after_command_name; and __mtobs_should_offer_completions_for_flags_or_options "mtobs" request-timeout' -l 'request-timeout' -d 'Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).' -rfka ''

# mtobs: plugins (mtobs-NAME) with their summaries at the command position, and a plugin's own
# arguments, asked of mtobs at TAB time (the parser's script knows only the built-ins).
function __mtobs_cursor_index
    set -l index (__mtobs_tokens -tC 2> /dev/null)
    test -n "$index"; or set index (string length -- "$(commandline -ct)")
    printf '%s\n' $index
end

function __mtobs_command_words
    set -l tokens (__mtobs_tokens -pc)
    argparse -s 'context=' 'kubeconfig=' 'n/namespace=' 'config=' 'v/verbose' 'dry-run' 'no-color' 'request-timeout=' -- $tokens[2..] 2> /dev/null; or return 1
    test (count $argv) -eq 0; or printf '%s\n' $argv
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
    test (count $words) -gt 0; and not contains -- $words[1] deploy health debug-dapr verify logs grafana pyroscope forward bundle version config completion plugin help
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
complete -c 'mtobs' -n '__mtobs_help_position' -fa 'deploy health debug-dapr verify logs grafana pyroscope forward bundle version config completion plugin help (__mtobs_dynamic plugins fish)'
complete -c 'mtobs' -n '__mtobs_plugin_position' -fa '(__mtobs_plugin_arguments)'
