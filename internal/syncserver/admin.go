package syncserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// The admin area is the organisation's, apart from the learners' API: a
// page of the organisation's totals (the sum of the anonymised aggregates
// trainers' apps upload) and their CSV, behind an admin token that
// `waymark-server admin-token` makes (the server keeps only its hash). A
// browser signs in once with a form; the token then travels in a cookie
// that only this area receives. Scripts send it as a bearer token.
const (
	adminCookie = "waymark_admin"
	adminPath   = "/admin"
)

func (s *Server) routeAdmin(m *http.ServeMux) {
	m.HandleFunc(syncapi.PathAdmin, s.methods(map[string]http.HandlerFunc{http.MethodGet: s.handleAdmin}))
	m.HandleFunc(adminPath+"/login", s.methods(map[string]http.HandlerFunc{http.MethodPost: s.limitEnrol(s.handleAdminLogin)}))
	m.HandleFunc(adminPath+"/logout", s.methods(map[string]http.HandlerFunc{http.MethodPost: s.handleAdminLogout}))
	m.HandleFunc(adminPath+"/totals.csv", s.methods(map[string]http.HandlerFunc{http.MethodGet: s.handleAdminCSV}))
}

// adminToken returns the token a request carries: a bearer token, or the
// admin cookie.
func adminToken(r *http.Request) string {
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return tok
	}
	if c, err := r.Cookie(adminCookie); err == nil {
		return c.Value
	}
	return ""
}

// checkAdmin reports whether tok is an admin token (nil), or not
// (relay.ErrUnauthorized), or the store failed.
func (s *Server) checkAdmin(r *http.Request, tok string) error {
	if len(tok) != tokenLen {
		return relay.ErrUnauthorized
	}
	return s.store.CheckAdminToken(r.Context(), relay.HashOf(tok))
}

// pageHeaders are every admin page's: nothing loaded from elsewhere, no
// script, not framed, not cached, no referrer.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", report.CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
}

// adminData is what the admin page shows.
type adminData struct {
	Title          string
	Error          string
	SignedIn       bool
	Period         string
	Periods        []string
	Groups         int
	Heading, Notes []string
	Tables         []report.Table
	Columns        []string
}

func (s *Server) renderAdmin(w http.ResponseWriter, status int, d adminData) {
	d.Title = "Waymark: the organisation's totals"
	d.Columns = report.Columns
	var b bytes.Buffer
	if err := adminPage.Execute(&b, d); err != nil {
		panic(err) // the template and its data are ours
	}
	pageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// refuse shows the sign-in form, with why.
func (s *Server) refuse(w http.ResponseWriter, err error, msg string) {
	if errors.Is(err, relay.ErrUnauthorized) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="waymark admin"`)
		s.renderAdmin(w, http.StatusUnauthorized, adminData{Error: msg})
		return
	}
	s.renderAdmin(w, http.StatusInternalServerError, adminData{Error: "The server failed. Try again later."})
}

func (s *Server) handleAdmin(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != syncapi.PathAdmin {
		s.fail(w, r, http.StatusNotFound, syncapi.CodeNotFound, "There is nothing at this path.")
		return
	}
	tok := adminToken(r)
	if err := s.checkAdmin(r, tok); err != nil {
		msg := "Sign in with the organisation's admin token."
		if tok != "" {
			msg = "That admin token is not right, or it was revoked."
		}
		s.refuse(w, err, msg)
		return
	}
	total, d, err := s.totals(r)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d.SignedIn, d.Heading, d.Notes, d.Tables = true, total.Heading(), total.Notes(), total.Tables()
	s.renderAdmin(w, http.StatusOK, d)
}

// totals sums the aggregates of the period the request asks for (?period=,
// the latest by default).
func (s *Server) totals(r *http.Request) (report.Report, adminData, error) {
	ctx := r.Context()
	periods, err := s.store.Periods(ctx)
	if err != nil {
		return report.Report{}, adminData{}, err
	}
	d := adminData{Periods: periods}
	d.Period = r.URL.Query().Get("period")
	if !report.ValidPeriod(d.Period) {
		d.Period = ""
		if len(periods) > 0 {
			d.Period = periods[0]
		} else {
			d.Period = s.now().UTC().Format("2006-01")
		}
	}
	stored, err := s.store.Aggregates(ctx, d.Period)
	if err != nil {
		return report.Report{}, adminData{}, err
	}
	var aggs []syncapi.Aggregate
	for _, a := range stored {
		var agg syncapi.Aggregate
		if json.Unmarshal(a.Body, &agg) == nil && report.CheckAggregate(agg) == nil {
			aggs = append(aggs, agg)
		}
	}
	d.Groups = len(aggs)
	first, _ := time.Parse("2006-01", d.Period)
	last := first.AddDate(0, 1, -1)
	scope := "All groups of the organisation (" + strconv.Itoa(len(aggs)) + " reporting)"
	return report.Sum(aggs, scope, first.Format(time.DateOnly), last.Format(time.DateOnly), s.now().UTC().Format(time.DateOnly)), d, nil
}

func (s *Server) handleAdminCSV(w http.ResponseWriter, r *http.Request) {
	if err := s.checkAdmin(r, adminToken(r)); err != nil {
		if errors.Is(err, relay.ErrUnauthorized) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="waymark admin"`)
			s.fail(w, r, http.StatusUnauthorized, syncapi.CodeUnauthorized, "The admin token is missing, wrong or revoked.")
			return
		}
		s.internal(w, r, err)
		return
	}
	total, _, err := s.totals(r)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := total.CSV()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+total.FileName("csv")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

func (s *Server) handleAdminLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, syncapi.MaxJSONBody)
	if err := r.ParseForm(); err != nil {
		s.refuse(w, relay.ErrUnauthorized, "Sign in with the organisation's admin token.")
		return
	}
	tok := strings.TrimSpace(r.PostForm.Get("token"))
	if err := s.checkAdmin(r, tok); err != nil {
		s.refuse(w, err, "That admin token is not right, or it was revoked.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: adminCookie, Value: tok, Path: adminPath, MaxAge: 12 * 3600,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, syncapi.PathAdmin, http.StatusSeeOther)
}

func (s *Server) handleAdminLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: adminCookie, Value: "", Path: adminPath, MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, syncapi.PathAdmin, http.StatusSeeOther)
}

var adminPage = template.Must(template.New("admin").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #111; margin: 0 auto; max-width: 60em; padding: 1em; }
h1 { font-size: 16pt; }
.error { font-weight: bold; color: #900; }
nav a { margin-right: 0.8em; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 1em 0; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #666; padding: 0.3em 0.5em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
input[type=password] { width: 24em; max-width: 100%; }
.notes { font-size: 9pt; color: #333; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Error}}<p class="error" id="error">{{.Error}}</p>{{end}}
{{if .SignedIn}}<nav id="periods">Months: {{range .Periods}}<a href="?period={{.}}">{{.}}</a>{{end}}</nav>
<p id="reporting">{{.Groups}} group(s) reported for {{.Period}}.</p>
{{range .Heading}}<p>{{.}}</p>
{{end}}{{range .Tables}}<table>
<caption>{{.Title}}</caption>
<thead><tr>{{range $.Columns}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{end}}<p><a id="csv" href="totals.csv?period={{.Period}}">Download these totals as CSV</a></p>
<div class="notes">{{range .Notes}}<p>{{.}}</p>
{{end}}</div>
<form method="post" action="logout"><button type="submit">Sign out</button></form>
{{else}}<form method="post" action="login" id="login">
<p><label for="token">Admin token</label><br><input type="password" id="token" name="token" autocomplete="off" required></p>
<p><button type="submit">Sign in</button></p>
</form>
<p class="notes">The server keeps only a hash of each admin token. Make one on the server with: waymark-server admin-token</p>
{{end}}</body>
</html>
`))
