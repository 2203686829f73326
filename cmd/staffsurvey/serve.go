package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime/debug"

	"staffsurvey/internal/progress"
	"staffsurvey/questionnaires"
	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
	"staffsurvey/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	demo := fs.Bool("demo", false, "fill an empty database with demo data")
	base := fs.String("base-url", "", "public URL printed on slips and token lists; https:// also means Secure cookies and HSTS behind a TLS proxy")
	rate := fs.Float64("answer-rate", 0, "requests a second per client on the answer routes after the burst (0: 3; negative: no limit)")
	burst := fs.Int("answer-burst", 0, "requests at once per client on the answer routes (0: 60)")
	proxies := fs.String("trusted-proxy", "", "comma-separated CIDR ranges of reverse proxies whose X-Forwarded-For is believed")
	cert := fs.String("tls-cert", "", "TLS certificate file (PEM)")
	key := fs.String("tls-key", "", "TLS key file (PEM)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if (*cert == "") != (*key == "") {
		return survey.Errorf(survey.EINVALID, "--tls-cert と --tls-key は両方指定してください", "give both --tls-cert and --tls-key")
	}
	if *base != "" {
		u, err := url.Parse(*base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return survey.Errorf(survey.EINVALID, "--base-url %q は http:// か https:// で始まる URL にしてください（例 https://survey.ward.local）",
				"--base-url %q must be an http:// or https:// URL (e.g. https://survey.ward.local)", *base)
		}
	}
	trusted, err := web.ParseTrustedProxies(*proxies)
	if err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		// A submission allocates some 50 KB (HTTP, JSON, the HPKE seal, bbolt's copies of the
		// pages it changes) while the live heap stays small, so with Go's default the
		// collector ran every few hundred submissions and took an eighth of the server's CPU
		// per submission (BENCHMARKS.md). Collecting when the heap has grown by four times
		// the live heap instead of once costs memory: about 50 MB more at the peak of 64
		// clients submitting (140 MB instead of 100 MB resident). GOGC in the environment
		// still decides when it is set.
		debug.SetGCPercent(400)
	}
	// Answers sealed wrong could not be opened at close: a machine whose sealing fails its
	// self-test does not serve (survey/ballot, SelfTest).
	if err := ballot.SelfTest(); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	// A close that a crash interrupted after opening the ballot box is finished before the
	// server answers: the key is destroyed and the file compacted (docs/anonymity.md, rule 4).
	if err := st.FinishClosing(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return survey.Errorf(survey.EINVALID, "%s で待ち受けできません: %v", "cannot listen on %s: %v", *addr, err)
	}
	scheme := "http"
	if *cert != "" {
		scheme = "https"
	}
	url := fmt.Sprintf("%s://%s", scheme, ln.Addr())
	if *demo {
		bar := progress.New(e.Stderr, "demo", 0)
		err := seedDemo(ctx, st, e.Stdout, url, e.DB)
		bar.Done()
		if err != nil {
			ln.Close()
			return err
		}
	}
	stopControl, err := serveControl(ctx, st, e.DB)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopControl()
	logger := slog.New(slog.NewTextHandler(e.Stderr, nil))
	srv, err := web.New(st, web.Config{Logger: logger, BaseURL: *base, TLS: *cert != "", TrustedProxies: trusted,
		AnswerRate: *rate, AnswerBurst: *burst,
		ShippedQuestionnaires: questionnaires.Names, OpenQuestionnaire: questionnaires.Open})
	if err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(e.Stdout, "staffsurvey: listening on %s\n", url)
	return srv.Serve(ctx, ln, *cert, *key)
}
