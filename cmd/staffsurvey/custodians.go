package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"staffsurvey/internal/progress"
	"staffsurvey/slips"
	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
	"staffsurvey/survey/storage"
)

// idFirst lets `survey open ID --flag …` be written with the id before its flags, as the
// usage shows: the flag package stops at the first argument that is not a flag.
func idFirst(args []string) []string {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return append(append([]string(nil), args[1:]...), args[0])
	}
	return args
}

// runSurveyOpen: survey open ID --custodians NAME,… [--threshold T] --shares-dir DIR. It
// opens the survey and its ballot box and writes each custodian's share into DIR, once: as
// text (<i>-<name>.txt, for `survey close --share`) and as a printable sheet (<i>-<name>.html).
func runSurveyOpen(ctx context.Context, e *env, args []string) error {
	fs := flags("survey open")
	names := fs.String("custodians", "", "custodians' names, comma-separated (2–9)")
	threshold := fs.Int("threshold", ballot.DefaultThreshold, "shares needed to close")
	dir := fs.String("shares-dir", "", "folder the shares are written into (not the database's)")
	pos, err := parse(fs, idFirst(args), 1)
	if err != nil {
		return err
	}
	if err := required(fs, "custodians", "shares-dir"); err != nil {
		return err
	}
	if err := checkSharesDir(*dir, e.DB); err != nil {
		return err
	}
	var list []string
	for _, n := range strings.Split(*names, ",") {
		list = append(list, strings.TrimSpace(n))
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	box, err := st.OpenSurvey(pos[0], storage.Custodians{Names: list, Threshold: *threshold})
	if err != nil {
		return err
	}
	auditCLI(st, e.Stderr, "survey.open", pos[0], fmt.Sprintf("%d of %d custodians: %s", *threshold, len(list), strings.Join(list, ", ")))
	sv, err := st.Survey(pos[0])
	if err != nil {
		return err
	}
	// The survey is open: a share that cannot be written now is lost, so every one is tried
	// and each failure named.
	files, err := writeShares(*dir, sv, list, box)
	fmt.Fprintf(e.Stdout, "%s open\n", pos[0])
	for _, f := range files {
		fmt.Fprintln(e.Stdout, f)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "staffsurvey: %d shares written to %s: print each .html sheet, hand it to its custodian, then delete the folder. %d of them close the survey; with fewer, the answers are lost.\n", len(files)/2, *dir, *threshold)
	return nil
}

// checkSharesDir refuses a shares folder that is the database's folder or inside it: a copy
// of the server's folder must never hold what opens the box.
func checkSharesDir(dir, db string) error {
	abs, err1 := filepath.Abs(dir)
	dbDir, err2 := filepath.Abs(filepath.Dir(db))
	if err1 == nil && err2 == nil {
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		if real, err := filepath.EvalSymlinks(dbDir); err == nil {
			dbDir = real
		}
		if rel, err := filepath.Rel(dbDir, abs); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			return survey.Errorf(survey.EINVALID, "--shares-dir %s はデータベースのフォルダ %s かその中です。割符はサーバーのフォルダの外（USB メモリなど）に書き出してください。",
				"--shares-dir %s is the database's folder %s or inside it: write the shares outside the server's folder (a USB stick, say)", dir, dbDir)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return survey.Errorf(survey.EINVALID, "--shares-dir %s を作成できません: %v", "cannot create --shares-dir %s: %v", dir, err)
	}
	return nil
}

// writeShares writes each share as <i>-<name>.txt and <i>-<name>.html (0600) into dir and
// returns the files written.
func writeShares(dir string, sv *survey.Survey, names []string, box *ballot.Box) ([]string, error) {
	var files []string
	var failed []string
	for i, sh := range box.Shares {
		base := filepath.Join(dir, strconv.Itoa(sh.Index)+"-"+fileSafe(names[i]))
		text := "# " + sv.ID() + " の開票用の割符 / ballot-box share: " + names[i] + " (" + strconv.Itoa(sh.Index) + "/" + strconv.Itoa(len(box.Shares)) + ")\n" + sh.String() + "\n"
		if err := writeSynced(base+".txt", []byte(text)); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", base+".txt", err))
		} else {
			files = append(files, base+".txt")
		}
		f, err := os.OpenFile(base+".html", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			err = slips.WriteShareSheets(f, sv, names[i:i+1], &ballot.Box{PublicKey: box.PublicKey, Shares: box.Shares[i : i+1]})
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", base+".html", err))
		} else {
			files = append(files, base+".html")
		}
	}
	if len(failed) > 0 {
		return files, survey.Errorf(survey.EINTERNAL, "割符を書き出せませんでした: %s", "could not write shares: %s", strings.Join(failed, "; "))
	}
	return files, nil
}

// fileSafe turns a custodian's name into a file name: path separators and control
// characters become "_".
func fileSafe(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' || r == 0x7f || r == ':' {
			return '_'
		}
		return r
	}, name)
}

// shareFlags collects repeated --share FILE flags.
type shareFlags []string

func (s *shareFlags) String() string     { return strings.Join(*s, ",") }
func (s *shareFlags) Set(v string) error { *s = append(*s, v); return nil }

// runSurveyClose: survey close ID [--share FILE]…; without --share, one share per line on
// stdin (lines starting with # and empty lines are skipped). A draft, or a survey opened by an
// earlier version with its key file, needs none.
func runSurveyClose(ctx context.Context, e *env, args []string) error {
	fs := flags("survey close")
	var files shareFlags
	fs.Var(&files, "share", "a file holding one custodian's share (repeat for each)")
	pos, err := parse(fs, idFirst(args), 1)
	if err != nil {
		return err
	}
	id := pos[0]
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	box, err := st.BallotBox(id)
	if err != nil {
		return err
	}
	var shares []ballot.Share
	if box != nil && !box.KeyFile {
		texts, err := readShares(e, files)
		if err != nil {
			return err
		}
		for _, t := range texts {
			sh, err := st.CheckShare(id, t.text)
			if err != nil {
				m := survey.ErrorMessage(err)
				return &survey.Error{Code: survey.ErrorCode(err), Err: err, Message: survey.Text{
					JA: t.where + " の割符: " + m.JA + " 何も変更していません。", EN: t.where + ": " + m.EN + " Nothing was changed."}}
			}
			shares = append(shares, sh)
		}
	}
	bar := progress.New(e.Stderr, "survey close "+id, 0)
	err = st.CloseSurvey(id, shares)
	bar.Done()
	if err != nil {
		return err
	}
	auditCLI(st, e.Stderr, "survey.close", id, "")
	fmt.Fprintf(e.Stdout, "%s %s\n", id, survey.StateClosed)
	return nil
}

type shareText struct{ where, text string }

// readShares reads the shares of files, or of stdin, one per non-comment line.
func readShares(e *env, files []string) ([]shareText, error) {
	var out []shareText
	read := func(name string, sc *bufio.Scanner) {
		n := 0
		for sc.Scan() {
			n++
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			out = append(out, shareText{fmt.Sprintf("%s:%d", name, n), line})
		}
	}
	if len(files) == 0 {
		sc := bufio.NewScanner(e.Stdin)
		read("stdin", sc)
		return out, sc.Err()
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, survey.Errorf(survey.EINVALID, "割符のファイル %s を読めません: %v。何も変更していません。", "cannot read the share file %s: %v. Nothing was changed.", f, err)
		}
		read(f, bufio.NewScanner(strings.NewReader(string(data))))
	}
	return out, nil
}
