package github

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	jwt "github.com/golang-jwt/jwt/v4"
	gogithub "github.com/google/go-github/v62/github"
)

// App is a GitHub App installation to authenticate as, instead of a token.
type App struct {
	ID             int64
	InstallationID int64
	// PrivateKey is the App's PEM private key. It only ever signs the JWTs
	// traded for installation tokens; neither it nor the tokens leave the
	// transport.
	PrivateKey []byte
}

// Installation tokens live an hour. One is replaced once it is within
// tokenMargin of its expires_at on GitHub's clock: ghinstallation on its own
// replaces a token a minute before expiry by the local clock, which a local
// clock a minute or two behind GitHub's, or one slow request, turns into a
// 401 at minute 60 of a long sync.
const tokenMargin = 5 * time.Minute

// appAuth authenticates requests as a GitHub App (ghinstallation does the
// signing and the token exchange): the App's own endpoints (/app, /app/…)
// with a JWT, everything else with an installation token, replaced before it
// expires. It keeps the offset between GitHub's clock (the Date header of
// every answer) and the local one, so that both the JWT's times and the
// token's expiry are judged on GitHub's clock, as GitHub judges them.
type appAuth struct {
	app     App
	apps    *ghinstallation.AppsTransport
	baseURL *url.URL
	now     func() time.Time
	log     *slog.Logger

	mu      sync.Mutex // held while a token is asked for
	inst    *ghinstallation.Transport
	expires time.Time // the current token's expires_at; zero before one

	clockMu sync.Mutex
	skew    time.Duration // GitHub's clock minus ours
}

// newAppAuth parses the key and prepares the transports; it makes no request.
func newAppAuth(app App, base http.RoundTripper, baseURL *url.URL, now func() time.Time, log *slog.Logger) (*appAuth, error) {
	if app.ID <= 0 || app.InstallationID <= 0 {
		return nil, fmt.Errorf("GitHub App id %d, installation %d: both must be positive", app.ID, app.InstallationID)
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(app.PrivateKey)
	if err != nil {
		// jwt's own message says only which form was expected; never the key.
		return nil, errors.New("the GitHub App private key is not a PEM-encoded RSA private key")
	}
	a := &appAuth{app: app, baseURL: baseURL, now: now, log: log}
	signer := clockSigner{inner: ghinstallation.NewRSASigner(jwt.SigningMethodRS256, key), now: a.serverNow}
	apps, err := ghinstallation.NewAppsTransportWithOptions(base, app.ID, ghinstallation.WithSigner(signer))
	if err != nil {
		return nil, err
	}
	// ghinstallation wants the API's scheme and host (and, on GitHub
	// Enterprise Server, its /api/v3 path) without the trailing slash.
	apps.BaseURL = strings.TrimSuffix(baseURL.String(), "/")
	a.apps = apps
	return a, nil
}

// clockSigner stamps a JWT's times on GitHub's clock before
// ghinstallation's signer signs it: issued a minute in the past (GitHub
// refuses an iat in its future, and recommends a minute's margin for drift)
// and expiring within GitHub's ten-minute maximum.
type clockSigner struct {
	inner ghinstallation.Signer
	now   func() time.Time
}

func (s clockSigner) Sign(claims jwt.Claims) (string, error) {
	if rc, ok := claims.(*jwt.RegisteredClaims); ok {
		c := *rc
		now := s.now().Truncate(time.Second)
		c.IssuedAt = jwt.NewNumericDate(now.Add(-time.Minute))
		c.ExpiresAt = jwt.NewNumericDate(now.Add(9 * time.Minute))
		claims = &c
	}
	return s.inner.Sign(claims)
}

// serverNow is GitHub's time as last seen, moved on by the local clock.
func (a *appAuth) serverNow() time.Time {
	a.clockMu.Lock()
	defer a.clockMu.Unlock()
	return a.now().Add(a.skew)
}

func (a *appAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	if a.appEndpoint(req.URL) {
		resp, err := a.apps.RoundTrip(req)
		if err == nil {
			a.observe(resp)
		}
		return resp, err
	}
	inst, err := a.installation(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	retry := req.Body == nil || req.GetBody != nil
	resp, err := inst.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	a.observe(resp)
	if resp.StatusCode != http.StatusUnauthorized || !retry {
		return resp, nil
	}
	// A token refused before its expiry (revoked, or GitHub's clock
	// misjudged) is dropped and the request sent once more with a new one;
	// a second 401 is the answer.
	a.log.InfoContext(req.Context(), "github: installation token refused before its expiry; asking for a new one", "app", a.app.ID, "installation", a.app.InstallationID)
	a.drop(inst)
	if inst, err = a.installation(req.Context()); err != nil {
		return nil, err
	}
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		if again.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	resp.Body.Close()
	resp, err = inst.RoundTrip(again)
	if err == nil {
		a.observe(resp)
	}
	return resp, err
}

// drop forgets inst's token, unless another request has replaced it already.
func (a *appAuth) drop(inst *ghinstallation.Transport) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.inst == inst {
		a.inst = nil
	}
}

// appEndpoint reports whether u is one of the App's own endpoints, which
// take the JWT: GET /app and everything under /app/.
func (a *appAuth) appEndpoint(u *url.URL) bool {
	rel, ok := strings.CutPrefix(u.Path, a.baseURL.Path)
	return ok && (rel == "app" || strings.HasPrefix(rel, "app/"))
}

func (a *appAuth) observe(resp *http.Response) {
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return
	}
	a.clockMu.Lock()
	defer a.clockMu.Unlock()
	a.skew = d.Sub(a.now())
}

// installation returns the transport with a token good for the next
// request, asking GitHub for a new one when there is none or the current
// one is within tokenMargin of expiry.
func (a *appAuth) installation(ctx context.Context) (*ghinstallation.Transport, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.inst == nil || !a.serverNow().Add(tokenMargin).Before(a.expires) {
		// A fresh Transport holds no token, so its first Token asks for one.
		a.inst = ghinstallation.NewFromAppsTransport(a.apps, a.app.InstallationID)
		a.inst.BaseURL = a.apps.BaseURL
	}
	if _, err := a.inst.Token(ctx); err != nil {
		a.inst = nil
		return nil, a.tokenError(err)
	}
	// ghinstallation may also have replaced the token itself (its own
	// check runs on the local clock).
	if exp, _, err := a.inst.Expiry(); err == nil && !exp.Equal(a.expires) {
		a.expires = exp
		a.log.InfoContext(ctx, "github: installation token issued", "app", a.app.ID, "installation", a.app.InstallationID, "expires", exp)
	}
	return a.inst, nil
}

// tokenError says why GitHub would not issue an installation token, in
// GitHub's own words and with what to check. A refusal is final: it comes
// back as errTokenRejected, which stops the tracker without retries.
func (a *appAuth) tokenError(err error) error {
	var he *ghinstallation.HTTPError
	if !errors.As(err, &he) || he.Response == nil {
		return fmt.Errorf("GitHub App %d installation %d: get an installation token: %w", a.app.ID, a.app.InstallationID, errors.Unwrap(err))
	}
	resp := he.Response
	defer resp.Body.Close()
	var body struct {
		Message string `json:"message"`
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	_ = json.Unmarshal(data, &body)
	msg := cmp.Or(body.Message, http.StatusText(resp.StatusCode))
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return errTokenRejected{status: resp.StatusCode, message: msg,
			hint: fmt.Sprintf("GitHub App %d has no installation %d: check app.installation_id (the App may have been uninstalled)", a.app.ID, a.app.InstallationID)}
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return errTokenRejected{status: resp.StatusCode, message: msg,
			hint: fmt.Sprintf("GitHub refused App %d's JWT for installation %d: check app.id and that the private key is the App's current one", a.app.ID, a.app.InstallationID)}
	}
	return fmt.Errorf("GitHub App %d installation %d: get an installation token: %s %s", a.app.ID, a.app.InstallationID, resp.Status, msg)
}

// describe names the identity for people: "GitHub App 123 installation 456".
func (a *appAuth) describe() string {
	return fmt.Sprintf("GitHub App %d installation %d", a.app.ID, a.app.InstallationID)
}

// appLogin is the App's bot account, "<slug>[bot]", which is who installation
// tokens write as. GET /app (with the JWT) names the slug; GET /user is not
// open to installation tokens.
func (c *Client) appLogin(ctx context.Context) (string, error) {
	var app gogithub.App
	if _, err := c.send(ctx, http.MethodGet, "app", nil, "", &app); err != nil {
		return "", fmt.Errorf("GET /app: %w", err)
	}
	if app.GetSlug() == "" {
		return "", errors.New("GET /app answered no slug")
	}
	return app.GetSlug() + "[bot]", nil
}

// installationRepos lists the repositories the App's installation may see
// (GET /installation/repositories, with the installation token).
func (c *Client) installationRepos(ctx context.Context) ([]string, error) {
	var out []string
	next := fmt.Sprintf("installation/repositories?per_page=%d", perPage)
	for next != "" {
		var page struct {
			Repositories []gogithub.Repository `json:"repositories"`
		}
		res, err := c.send(ctx, http.MethodGet, next, nil, "", &page)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Repositories {
			out = append(out, r.GetFullName())
		}
		next = res.next
	}
	return out, nil
}
