package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"staffsurvey/internal/progress"
	"staffsurvey/results"
	"staffsurvey/survey"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := flags("import")
	id := fs.String("survey", "", "survey id")
	file := fs.String("csv", "", "wide CSV file")
	appendTo := fs.Bool("append", false, "add to a survey that has responses already")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey", "csv"); err != nil {
		return err
	}
	f, err := openInput(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	sv, err := st.Survey(*id)
	if err != nil {
		return err
	}
	if sv.Responses > 0 && !*appendTo {
		return survey.Errorf(survey.ECONFLICT,
			"調査 %q にはすでに %d 件の回答があります。追加するときは --append を付けてください（終了した調査では公表済みの結果が変わります）",
			"survey %q has %d responses already: add --append to add to them (on a closed survey this changes published results)", *id, sv.Responses)
	}
	var in io.Reader = f
	var size int
	if fi, err := f.Stat(); err == nil {
		size = int(fi.Size())
	}
	bar := progress.New(e.Stderr, "read "+*file, size)
	if bar != nil {
		in = &progress.Reader{R: f, Bar: bar}
	}
	rs, err := survey.ReadCSV(sv.Questionnaire, in)
	bar.Done()
	if err != nil {
		return prefixError(*file, err)
	}
	bar = progress.New(e.Stderr, "import "+*id, len(rs))
	err = st.ImportProgress(*id, rs, bar.Set)
	bar.Done()
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("rows=%d state=%s", len(rs), sv.State)
	if sv.Responses > 0 {
		detail += fmt.Sprintf(" appended_to=%d", sv.Responses)
	}
	auditCLI(st, e.Stderr, "import", *id, detail)
	fmt.Fprintf(e.Stdout, "%d responses imported into %s\n", len(rs), *id)
	return nil
}

// prefixError puts a file name before the message of a domain error.
func prefixError(file string, err error) error {
	if e, ok := err.(*survey.Error); ok {
		return &survey.Error{Code: e.Code, Err: e.Err, Message: survey.Text{JA: file + ": " + e.Message.JA, EN: file + ": " + e.Message.EN}}
	}
	return err
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := flags("export")
	id := fs.String("survey", "", "survey id")
	format := fs.String("format", survey.FormatWide, "wide, long, codebook or xlsx")
	bom := fs.Bool("bom", false, "Excel: UTF-8 BOM and CRLF (CSV formats; formula cells are neutralised always)")
	out := fs.String("out", "", "the file to write (required for xlsx; default standard output)")
	lang := fs.String("lang", "ja", "the language of names in the xlsx workbook: ja or en")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey"); err != nil {
		return err
	}
	if *format == survey.FormatXLSX && *out == "" {
		return survey.Errorf(survey.EINVALID, "xlsx には --out FILE が必要です", "xlsx needs --out FILE")
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	sv, err := st.Survey(*id)
	if err != nil {
		return err
	}
	err = writeOut(*out, e.Stdout, func(w io.Writer) error {
		switch *format {
		case survey.FormatCodebook:
			return survey.WriteCodebook(w, sv.Questionnaire, *bom)
		case survey.FormatXLSX:
			return results.New(st).WriteXLSX(ctx, w, *id, *lang, nil)
		}
		bar := progress.New(e.Stderr, "export "+*id, sv.Responses)
		if bar != nil {
			w = &countingWriter{w: w, bar: bar}
		}
		err := exportCSV(ctx, st, *id, w, survey.ExportOptions{Format: *format, BOM: *bom})
		bar.Done()
		return err
	})
	if err == nil && *format != survey.FormatCodebook {
		auditCLI(st, e.Stderr, "export", *id, "format="+*format)
	}
	return err
}

// writeOut runs write on the file path, or on stdout when path is empty. The file is written
// beside its final name and renamed only when write succeeds, so a failed export leaves no
// half-written file.
func writeOut(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// countingWriter advances a bar by one for each line written: a response of a wide export
// (a long export has many lines per response and overshoots; the bar caps at 100%).
type countingWriter struct {
	w   io.Writer
	bar *progress.Bar
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.bar.Add(bytes.Count(p, []byte{'\n'}))
	return c.w.Write(p)
}
