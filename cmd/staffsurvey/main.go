// Command staffsurvey is the one binary of staffsurvey: it serves the answering and admin
// pages and manages surveys, tokens, imports, exports, analyses, users and backups from the
// command line (DESIGN.md §4). It only wires the survey, analysis and web packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

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

type command struct {
	usage string
	run   func(ctx context.Context, e *env, args []string) error
}

// commands is filled in init: the subcommands refer to it for their usage lines.
var commands map[string]command

func init() {
	commands = map[string]command{
		"serve":         {"serve [--addr 127.0.0.1:8080] [--demo] [--tls-cert F --tls-key F]", runServe},
		"survey create": {"survey create --file F.yaml | --file NAME", runSurveyCreate},
		"survey open":   {"survey open ID", runSurveyState(survey.StateOpen)},
		"survey close":  {"survey close ID", runSurveyState(survey.StateClosed)},
		"survey list":   {"survey list", runSurveyList},
		"tokens issue":  {"tokens issue --survey ID --section CODE --count N [--format csv|html] [--base-url URL]", runTokensIssue},
		"import":        {"import --survey ID --csv F", runImport},
		"export":        {"export --survey ID [--format wide|long] [--bom]", runExport},
		"analyze":       {"analyze [--survey ID]... --json", runAnalyze},
		"user add":      {"user add --name N --role admin|manager|analyst  (password from stdin)", runUserAdd},
		"backup":        {"backup --out F", runBackup},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "使い方 / usage: staffsurvey [--db PATH] COMMAND ...")
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %s\n", commands[n].usage)
	}
	fmt.Fprintln(w, "--db の既定値は $STAFFSURVEY_DB、なければ staffsurvey.db / --db defaults to $STAFFSURVEY_DB, else staffsurvey.db")
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
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		usage(stderr)
		return survey.Errorf(survey.EINVALID, "コマンドを指定してください", "no command given")
	}
	name := rest[0]
	cmd, ok := commands[name]
	if !ok && len(rest) > 1 {
		name = rest[0] + " " + rest[1]
		cmd, ok = commands[name]
	}
	if !ok {
		usage(stderr)
		return survey.Errorf(survey.EINVALID, "不明なコマンドです: %s", "unknown command: %s", strings.Join(rest[:min(2, len(rest))], " "))
	}
	return cmd.run(ctx, e, rest[len(strings.Fields(name)):])
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
		return nil, survey.Errorf(survey.EINVALID, "%s: 引数が正しくありません: %v\n使い方: %s", "%s: bad arguments: %v; usage: %s",
			fs.Name(), err, commands[fs.Name()].usage)
	}
	if fs.NArg() != positional {
		return nil, survey.Errorf(survey.EINVALID, "%s: 引数の数が正しくありません\n使い方: %s", "%s: wrong number of arguments; usage: %s",
			fs.Name(), commands[fs.Name()].usage)
	}
	return fs.Args(), nil
}

// required reports a missing required flag.
func required(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if fs.Lookup(n).Value.String() == "" || fs.Lookup(n).Value.String() == "0" {
			return survey.Errorf(survey.EINVALID, "%s: --%s を指定してください\n使い方: %s", "%s: --%s is required; usage: %s",
				fs.Name(), n, commands[fs.Name()].usage)
		}
	}
	return nil
}
