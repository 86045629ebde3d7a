// Command waymark-server is Waymark's sync server: it relays a learner's
// sealed progress between their devices and stores it, unable to read it.
// Pure Go (CGO_ENABLED=0 builds it). With no flags it keeps its data in
// waymark-server.db in the working directory and listens on
// 127.0.0.1:8080; see -h, README.md and docs/sync-protocol.md.
//
//	waymark-server [--addr HOST:PORT] [--db PATH | --db postgres://...]
//	               [--tls-cert FILE --tls-key FILE | --self-signed]
//	               [--open-enrolment] [--trust-proxy]
//	waymark-server invite [--db ...] [--uses N] [--expires DURATION] [--trainer]
//	waymark-server admin-token [--db ...] [--revoke-all]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/waymark-app/waymark/internal/syncserver"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "invite" {
		os.Exit(invite(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "admin-token" {
		os.Exit(adminToken(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
	}
	m := NewMain()
	if err := m.ParseFlags(os.Args[1:], os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "waymark-server:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "waymark-server: listening on %s\n", m.URL())
	if pin := m.Pin(); pin != "" {
		fmt.Fprintf(os.Stderr, "waymark-server: certificate pin for devices: %s\n", pin)
	}
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "waymark-server: shutting down")
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "waymark-server:", err)
		os.Exit(1)
	}
}

// ParseFlags sets m's fields from the command line.
func (m *Main) ParseFlags(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("waymark-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&m.Addr, "addr", m.Addr, "address to listen on (host:port)")
	fs.StringVar(&m.DB, "db", m.DB, "SQLite file, or a postgres:// URL")
	fs.StringVar(&m.TLSCert, "tls-cert", "", "TLS certificate file (PEM)")
	fs.StringVar(&m.TLSKey, "tls-key", "", "TLS private key file (PEM)")
	fs.BoolVar(&m.SelfSigned, "self-signed", false, "serve TLS with a self-signed certificate kept beside the database, and print its pin")
	fs.BoolVar(&m.OpenEnrolment, "open-enrolment", false, "let devices enrol without an invite code (a personal server or a hub)")
	fs.BoolVar(&m.TrustProxy, "trust-proxy", false, "take client addresses from X-Forwarded-For (only behind a proxy that sets it)")
	fs.IntVar(&m.Limits.PerAddress, "rate-address", m.Limits.PerAddress, "requests a minute from one address (0: no limit)")
	fs.IntVar(&m.Limits.EnrolPerAddress, "rate-enrol", m.Limits.EnrolPerAddress, "enrolments and pairing attempts a minute from one address (0: no limit)")
	fs.IntVar(&m.Limits.PerDevice, "rate-device", m.Limits.PerDevice, "requests a minute from one device (0: no limit)")
	quota := fs.Int64("quota-mb", m.Limits.Quota>>20, "storage per learner, in MiB")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: waymark-server [flags]\n       waymark-server invite [--db ...] [--uses N] [--expires DURATION] [--trainer]\n       waymark-server admin-token [--db ...] [--revoke-all]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "waymark-server: unexpected argument %q\n", fs.Arg(0))
		return errors.New("usage")
	}
	if (m.TLSCert == "") != (m.TLSKey == "") || (m.SelfSigned && m.TLSCert != "") {
		fmt.Fprintln(stderr, "waymark-server: give --tls-cert and --tls-key together, or --self-signed, not both")
		return errors.New("usage")
	}
	m.Limits.Quota = *quota << 20
	return nil
}

// invite runs the admin subcommand: it makes an organisation invite code
// and prints it (only it, on stdout).
func invite(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("waymark-server invite", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", DefaultDB, "SQLite file, or a postgres:// URL")
	uses := fs.Int("uses", 1, "how many devices may enrol with the code")
	expires := fs.Duration("expires", 7*24*time.Hour, "how long the code works")
	trainer := fs.Bool("trainer", false, "a trainer invite: it also enrols trainers' accounts, which make groups")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *uses < 1 || *expires <= 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "waymark-server invite: --uses must be 1 or more and --expires positive")
		return 2
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		fmt.Fprintln(stderr, "waymark-server invite:", err)
		return 1
	}
	defer store.Close()
	now := time.Now()
	newInvite := syncserver.NewInvite
	if *trainer {
		newInvite = syncserver.NewTrainerInvite
	}
	code, inv := newInvite(*uses, *expires, now)
	if err := store.CreateInvite(ctx, inv); err != nil {
		fmt.Fprintln(stderr, "waymark-server invite:", err)
		return 1
	}
	fmt.Fprintln(stdout, code)
	fmt.Fprintf(stderr, "waymark-server invite: good for %d enrolment(s) until %s\n", *uses, inv.Expires.Format(time.RFC3339))
	return 0
}

// adminToken runs the admin-token subcommand: it makes an admin token for
// the admin area (/admin/) and prints it, only it, on stdout; the server
// keeps only its hash. --revoke-all deletes every admin token instead.
func adminToken(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("waymark-server admin-token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", DefaultDB, "SQLite file, or a postgres:// URL")
	revoke := fs.Bool("revoke-all", false, "revoke every admin token instead of making one")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "waymark-server admin-token: unexpected argument", fs.Arg(0))
		return 2
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		fmt.Fprintln(stderr, "waymark-server admin-token:", err)
		return 1
	}
	defer store.Close()
	if *revoke {
		if err := store.RevokeAdminTokens(ctx); err != nil {
			fmt.Fprintln(stderr, "waymark-server admin-token:", err)
			return 1
		}
		fmt.Fprintln(stderr, "waymark-server admin-token: every admin token is revoked")
		return 0
	}
	tok, h := syncserver.NewAdminToken()
	if err := store.CreateAdminToken(ctx, h, time.Now()); err != nil {
		fmt.Fprintln(stderr, "waymark-server admin-token:", err)
		return 1
	}
	fmt.Fprintln(stdout, tok)
	fmt.Fprintln(stderr, "waymark-server admin-token: keep it safe; it opens /admin/ (the organisation's totals). Only its hash is stored.")
	return 0
}

// quietLog is the default logger: text lines on stderr.
func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
