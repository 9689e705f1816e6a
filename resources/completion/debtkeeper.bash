# bash completion for debtkeeper. Generated from the parser by docs/make_cli_docs.py: do not edit.
# Use: source this file (or copy it to ~/.local/share/bash-completion/completions/debtkeeper).
_debtkeeper() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local cmdpath="" word i subs="" opts="" files=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        case "$cmdpath/$word" in
            "/demo" | "/calc" | "/debt" | "/payment" | "/plan" | "/overdue" | "/guide" | "/letter" | "/plan-pdf" | "/remind" | "/export" | "/import" | "/backup" | "/encrypt" | "/restore" | "calc/schedule" | "calc/apr" | "debt/add" | "debt/list" | "debt/show" | "payment/add") cmdpath="${cmdpath:+$cmdpath/}$word" ;;
        esac
    done
    case "$cmdpath|$prev" in
        "|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "demo|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "demo|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "demo|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "calc|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "calc/schedule|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "calc/schedule|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "calc/schedule|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "calc/schedule|--rate-unit") COMPREPLY=($(compgen -W "day month year" -- "$cur")); return ;;
        "calc/schedule|--method") COMPREPLY=($(compgen -W "equal-installment equal-principal interest-only bullet fee-installment daily-interest revolving" -- "$cur")); return ;;
        "calc/apr|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "calc/apr|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "calc/apr|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "calc/apr|--rate-unit") COMPREPLY=($(compgen -W "day month year" -- "$cur")); return ;;
        "calc/apr|--method") COMPREPLY=($(compgen -W "equal-installment equal-principal interest-only bullet fee-installment daily-interest revolving" -- "$cur")); return ;;
        "debt|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "debt/add|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "debt/add|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "debt/add|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "debt/add|--json") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "debt/list|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "debt/list|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "debt/list|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "debt/show|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "debt/show|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "debt/show|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "payment|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "payment/add|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "payment/add|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "payment/add|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "plan|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "plan|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "plan|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "plan|--strategy") COMPREPLY=($(compgen -W "avalanche snowball custom triage" -- "$cur")); return ;;
        "overdue|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "overdue|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "overdue|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "guide|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "guide|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "guide|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "guide|--pdf") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "letter|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "letter|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "letter|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "letter|--kind") COMPREPLY=($(compgen -W "negotiation hardship proposal complaint statement dispute" -- "$cur")); return ;;
        "letter|--out") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "plan-pdf|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "plan-pdf|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "plan-pdf|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "plan-pdf|--strategy") COMPREPLY=($(compgen -W "avalanche snowball custom triage" -- "$cur")); return ;;
        "plan-pdf|--out") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "remind|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "remind|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "remind|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "remind|--ics") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "export|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "export|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "export|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "export|--out") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "import|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "import|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "import|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "backup|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "backup|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "backup|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "backup|--out") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "backup|--verify") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "encrypt|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "encrypt|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "encrypt|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "encrypt|--out") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "restore|--db") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "restore|--lang") COMPREPLY=($(compgen -W "zh_CN en_US zh en" -- "$cur")); return ;;
        "restore|--password-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    case "$cmdpath" in
        "") subs="demo calc debt payment plan overdue guide letter plan-pdf remind export import backup encrypt restore"; opts="-h --help --version --db --lang --password-file"; files=0 ;;
        "demo") subs=""; opts="-h --help --db --lang --password-file --as-of"; files=0 ;;
        "calc") subs="schedule apr"; opts="-h --help --lang"; files=0 ;;
        "calc/schedule") subs=""; opts="-h --help --db --lang --password-file --as-of --json --principal --rate --rate-unit --months --fee-rate --method --start --due-day --minimum-percent --minimum-floor"; files=0 ;;
        "calc/apr") subs=""; opts="-h --help --db --lang --password-file --json --principal --rate --rate-unit --months --fee-rate --upfront-fee --payment --method"; files=0 ;;
        "debt") subs="add list show"; opts="-h --help --lang"; files=0 ;;
        "debt/add") subs=""; opts="-h --help --db --lang --password-file --json"; files=0 ;;
        "debt/list") subs=""; opts="-h --help --db --lang --password-file --as-of --json"; files=0 ;;
        "debt/show") subs=""; opts="-h --help --db --lang --password-file --as-of --json"; files=0 ;;
        "payment") subs="add"; opts="-h --help --lang"; files=0 ;;
        "payment/add") subs=""; opts="-h --help --db --lang --password-file --as-of --json --amount --date --note"; files=0 ;;
        "plan") subs=""; opts="-h --help --db --lang --password-file --as-of --json --budget --strategy --order"; files=0 ;;
        "overdue") subs=""; opts="-h --help --db --lang --password-file --as-of --json"; files=0 ;;
        "guide") subs=""; opts="-h --help --db --lang --password-file --as-of --json --pdf"; files=0 ;;
        "letter") subs=""; opts="-h --help --db --lang --password-file --as-of --kind --out --contacts --cause --income --expenses --name --address --phone --id-number --email --city --save-person --show-id --no-warn"; files=0 ;;
        "plan-pdf") subs=""; opts="-h --help --db --lang --password-file --as-of --budget --strategy --order --out"; files=0 ;;
        "remind") subs=""; opts="-h --help --db --lang --password-file --as-of --json --within --ics --notify"; files=0 ;;
        "export") subs=""; opts="-h --help --db --lang --password-file --out --payments-csv"; files=0 ;;
        "import") subs=""; opts="-h --help --db --lang --password-file --replace"; files=1 ;;
        "backup") subs=""; opts="-h --help --db --lang --password-file --out --verify --list --json"; files=0 ;;
        "encrypt") subs=""; opts="-h --help --db --lang --password-file --out --delete-plaintext"; files=0 ;;
        "restore") subs=""; opts="-h --help --db --lang --password-file"; files=1 ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ -n "$subs" ]]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    elif ((files)); then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _debtkeeper debtkeeper
