// Command staffsurvey is the one binary of staffsurvey: it serves the answering and admin
// pages and manages surveys, tokens, imports, exports, analyses, users and backups from the
// command line (docs/cli.md). It only wires the survey, analysis and web packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"staffsurvey/analysis"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// A survey with attributes keeps the analysis's aggregated state instead of response records
// after close (docs/anonymity.md); the store cannot import analysis, so the command wires it.
func init() { storage.SetAggregator(analysis.Aggregate) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		printError(os.Stderr, err)
		os.Exit(1)
	}
}

// printError prints err for a person: the Japanese message, then the English one.
func printError(w io.Writer, err error) {
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	var e *survey.Error
	if errors.As(err, &e) {
		fmt.Fprintf(w, "staffsurvey: %s\nstaffsurvey: %s\n", e.Message.JA, e.Message.EN)
		if e.Code == survey.EINTERNAL && e.Err != nil {
			fmt.Fprintf(w, "staffsurvey: %v\n", e.Err)
		}
		return
	}
	fmt.Fprintf(w, "staffsurvey: %v\n", err)
}

// env is what every subcommand gets: the global flags and the standard streams.
type env struct {
	DB     string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

func (e *env) openStore() (*storage.Store, error) { return storage.Open(e.DB) }

// command is one subcommand: its name (one or two words), its usage line — which lists every
// flag the command defines (TestUsageListsEveryFlag) — and what it runs.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, e *env, args []string) error
}

// commandTable returns the subcommands in the order usage lists them. It is a function, not a
// table filled by init: the commands look their usage lines up through usageOf, which calls it.
func commandTable() []command {
	return []command{
		{"serve", "serve [--addr 127.0.0.1:8080] [--demo] [--base-url URL] [--trusted-proxy CIDR,...] [--answer-rate R] [--answer-burst N] [--tls-cert F --tls-key F]", runServe},
		{"survey create", "survey create --file F.yaml | --file NAME", runSurveyCreate},
		{"survey open", "survey open ID --custodians NAME,NAME,... [--threshold T] --shares-dir DIR", runSurveyOpen},
		{"survey close", "survey close ID [--share FILE]...  (without --share: one share per line on stdin)", runSurveyClose},
		{"survey list", "survey list", runSurveyList},
		{"survey sections", "survey sections ID", runSurveySections},
		{"tokens issue", "tokens issue --survey ID --section CODE --count N [--format csv|html|paper] [--base-url URL]", runTokensIssue},
		{"tokens void", "tokens void --survey ID --csv F", runTokensVoid},
		{"import", "import --survey ID --csv F [--append]", runImport},
		{"export", "export --survey ID [--format wide|long|codebook|xlsx] [--bom] [--out FILE] [--lang ja|en]", runExport},
		{"analyze", "analyze [--survey ID]... --json", runAnalyze},
		{"comments", "comments --survey ID [--section CODE | --pending | --flagged] [--json] | --publish ID,… | --withhold ID,… | --hide ID [--words W,…]", runComments},
		{"plans", "plans --survey ID [--csv]", runPlans},
		{"user add", "user add --name N --role admin|executive|manager|analyst [--sections CODE[,CODE…]]  (password from stdin)", runUserAdd},
		{"backup", "backup --out F", runBackup},
		{"audit", "audit  (the audit log as CSV on stdout)", runAudit},
		{"help", "help [COMMAND]", runHelp},
	}
}

// lookup returns the command named by the first one or two words of args.
func lookup(args []string) (command, bool) {
	for _, words := range []int{1, 2} {
		if len(args) < words {
			break
		}
		name := strings.Join(args[:words], " ")
		for _, c := range commandTable() {
			if c.name == name {
				return c, true
			}
		}
	}
	return command{}, false
}

// usageOf returns the usage line of the command name.
func usageOf(name string) string {
	c, _ := lookup(strings.Fields(name))
	return c.usage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "使い方 / usage: staffsurvey [--db PATH] COMMAND ...")
	for _, c := range commandTable() {
		fmt.Fprintf(w, "  %s\n", c.usage)
	}
	fmt.Fprintln(w, "--db の既定値は $STAFFSURVEY_DB、なければ staffsurvey.db / --db defaults to $STAFFSURVEY_DB, else staffsurvey.db")
	fmt.Fprintln(w, "staffsurvey help COMMAND (or COMMAND --help) describes a command's flags.")
}

// helpRequest is returned by parse for COMMAND --help: Run prints the command's usage line
// and flags on stdout and succeeds.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string { return "help requested" }

func (h *helpRequest) Unwrap() error { return flag.ErrHelp }

// printHelp prints a command's usage line and the flags of its flag set.
func printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "使い方 / usage: staffsurvey [--db PATH] %s\n", usageOf(fs.Name()))
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// runHelp prints the usage of every command, or of the command named by args.
func runHelp(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		usage(e.Stdout)
		return nil
	}
	c, ok := lookup(args)
	if !ok || c.name == "help" {
		return survey.Errorf(survey.EINVALID, "不明なコマンドです: %s", "unknown command: %s", strings.Join(args, " "))
	}
	return c.run(ctx, e, []string{"--help"})
}

// Run runs the command line args (without the program name). Tests call it directly.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	fs := flag.NewFlagSet("staffsurvey", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	def := os.Getenv("STAFFSURVEY_DB")
	if def == "" {
		def = "staffsurvey.db"
	}
	fs.StringVar(&e.DB, "db", def, "database file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return nil
		}
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		usage(stderr)
		return survey.Errorf(survey.EINVALID, "コマンドを指定してください", "no command given")
	}
	cmd, ok := lookup(rest)
	if !ok {
		usage(stderr)
		return survey.Errorf(survey.EINVALID, "不明なコマンドです: %s", "unknown command: %s", strings.Join(rest[:min(2, len(rest))], " "))
	}
	err := cmd.run(ctx, e, rest[len(strings.Fields(cmd.name)):])
	if h := (*helpRequest)(nil); errors.As(err, &h) {
		printHelp(stdout, h.fs)
		return nil
	}
	return err
}

// flags returns a flag set for a subcommand that prints its usage line on error.
func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args and turns flag errors into messages for people.
func parse(fs *flag.FlagSet, args []string, positional int) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, &helpRequest{fs}
		}
		return nil, survey.Errorf(survey.EINVALID, "%s: 引数が正しくありません: %v\n使い方: %s", "%s: bad arguments: %v; usage: %s",
			fs.Name(), err, usageOf(fs.Name()))
	}
	if fs.NArg() != positional {
		return nil, survey.Errorf(survey.EINVALID, "%s: 引数の数が正しくありません\n使い方: %s", "%s: wrong number of arguments; usage: %s",
			fs.Name(), usageOf(fs.Name()))
	}
	return fs.Args(), nil
}

// required reports a missing required flag.
func required(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if fs.Lookup(n).Value.String() == "" || fs.Lookup(n).Value.String() == "0" {
			return survey.Errorf(survey.EINVALID, "%s: --%s を指定してください\n使い方: %s", "%s: --%s is required; usage: %s",
				fs.Name(), n, usageOf(fs.Name()))
		}
	}
	return nil
}

// openInput opens a file a command reads (--csv), or says in both languages why it cannot.
func openInput(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, survey.Errorf(survey.EINVALID, "%s を開けません: %v", "cannot open %s: %v", path, err)
	}
	return f, nil
}
