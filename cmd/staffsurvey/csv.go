package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"staffsurvey/results"
	"staffsurvey/survey"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := flags("import")
	id := fs.String("survey", "", "survey id")
	file := fs.String("csv", "", "wide CSV file")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey", "csv"); err != nil {
		return err
	}
	f, err := os.Open(*file)
	if err != nil {
		return survey.Errorf(survey.EINVALID, "%s を開けません: %v", "cannot open %s: %v", *file, err)
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
	rs, err := survey.ReadCSV(sv.Questionnaire, f)
	if err != nil {
		return prefixError(*file, err)
	}
	if err := st.Import(*id, rs); err != nil {
		return err
	}
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
	bom := fs.Bool("bom", false, "Excel: UTF-8 BOM, CRLF, formula cells neutralised (CSV formats)")
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
	return writeOut(*out, e.Stdout, func(w io.Writer) error {
		switch *format {
		case survey.FormatCodebook:
			sv, err := st.Survey(*id)
			if err != nil {
				return err
			}
			return survey.WriteCodebook(w, sv.Questionnaire, *bom)
		case survey.FormatXLSX:
			return results.New(st).WriteXLSX(ctx, w, *id, *lang, nil)
		}
		return exportCSV(ctx, st, *id, w, survey.ExportOptions{Format: *format, BOM: *bom})
	})
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
