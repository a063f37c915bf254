package sandbox

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	jwt "github.com/golang-jwt/jwt/v4"
)

// GitHubApp makes the fake GitHub serve a GitHub App with one installation,
// as GitHub does: GET /app and POST /app/installations/{id}/access_tokens
// take a JWT signed with the App's private key (RS256, iss the App's id,
// iat in the past, exp no more than ten minutes ahead, on the server's
// clock); the installation tokens it issues (ghs_…) expire on that clock
// and are then answered 401 Bad credentials; what they write is written by
// the App's bot, "<slug>[bot]", a user of type Bot.
type GitHubApp struct {
	ID             int64
	Slug           string // default "ladder-app"
	InstallationID int64
	// PublicKey checks the JWTs' signatures.
	PublicKey *rsa.PublicKey
	// Repos are the repositories (owner/repo) the installation was given;
	// nil means all of the sandbox's. Others answer 404 to its tokens.
	Repos []string
	// TokenLifetime is how long an installation token lives; default an hour.
	TokenLifetime time.Duration
	// RateLimit is the installation's budget per hour, apart from a token's;
	// default 12,500 (what GitHub gives an installation on many
	// repositories, against a personal token's 5,000).
	RateLimit int
}

// appToken is an installation token the sandbox issued.
type appToken struct {
	expires time.Time
}

// Bot is the App's bot account, "<slug>[bot]".
func (a *GitHubApp) Bot() string { return a.Slug + "[bot]" }

func (g *GitHub) initApp() {
	if g.opts.App == nil {
		return
	}
	copied := *g.opts.App
	a := &copied
	g.opts.App = a
	if a.Slug == "" {
		a.Slug = "ladder-app"
	}
	if a.TokenLifetime <= 0 {
		a.TokenLifetime = time.Hour
	}
	if a.RateLimit <= 0 {
		a.RateLimit = 12_500
	}
	g.appTokens = map[string]appToken{}
	g.appBudget = &budget{limit: a.RateLimit, remaining: a.RateLimit, windowEnd: g.now().Add(time.Hour)}
}

// TokenRequests is how many installation tokens were issued.
func (g *GitHub) TokenRequests() int {
	return g.Count(func(r Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/access_tokens") && r.Status == http.StatusCreated
	})
}

// AppRateRemaining is what is left of the installation's budget in the
// current window.
func (g *GitHub) AppRateRemaining() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.appBudget.refill(g.now())
	return g.appBudget.remaining
}

// RevokeTokens makes every installation token issued so far answer 401,
// as GitHub does once an installation's tokens are revoked.
func (g *GitHub) RevokeTokens() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for t := range g.appTokens {
		g.appTokens[t] = appToken{expires: time.Time{}}
	}
}

// IssuedTokens returns the installation tokens issued so far, for tests
// that check they appear nowhere.
func (g *GitHub) IssuedTokens() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for t := range g.appTokens {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// appAuth decides what a request's credential is, when an App is served:
// a JWT (only for the App's own endpoints), an issued installation token,
// or neither. ok false means the answer is already in res.
func (g *GitHub) appAuth(r *http.Request, token string, now time.Time) (installation, jwtOK, ok bool, res ghResponse) {
	p := strings.Trim(r.URL.Path, "/")
	appEndpoint := p == "app" || strings.HasPrefix(p, "app/")
	if appEndpoint {
		if msg := g.checkJWT(token, now); msg != "" {
			return false, false, false, ghErrorDoc(http.StatusUnauthorized, msg,
				"https://docs.github.com/rest/apps/apps#get-the-authenticated-app")
		}
		return false, true, true, ghResponse{}
	}
	t, issued := g.appTokens[token]
	switch {
	case issued && !now.Before(t.expires):
		return false, false, false, ghError(http.StatusUnauthorized, "Bad credentials")
	case issued:
		return true, false, true, ghResponse{}
	case strings.Count(token, ".") == 2:
		// A JWT only opens the App's own endpoints.
		return false, false, false, ghErrorDoc(http.StatusUnauthorized,
			"A JSON web token could not be decoded", "https://docs.github.com/rest")
	}
	return false, false, true, ghResponse{}
}

// checkJWT checks an App JWT as GitHub documents, on the server's clock,
// and returns GitHub's message for what is wrong ("" when it is good).
func (g *GitHub) checkJWT(token string, now time.Time) string {
	a := g.opts.App
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodRS256 {
			return nil, fmt.Errorf("alg %v", t.Header["alg"])
		}
		return a.PublicKey, nil
	}, jwt.WithoutClaimsValidation())
	switch {
	case err != nil:
		return "A JSON web token could not be decoded"
	case claims.Issuer != strconv.FormatInt(a.ID, 10):
		return "Integration not found"
	case claims.IssuedAt == nil || claims.IssuedAt.After(now):
		return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	case claims.ExpiresAt == nil || !claims.ExpiresAt.After(now):
		return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	case claims.ExpiresAt.After(now.Add(10 * time.Minute)):
		return "'Expiration time' claim ('exp') is too far in the future"
	}
	return ""
}

// routeApp answers the App's endpoints and the installation's repository list.
func (g *GitHub) routeApp(r *ghRequest, p []string) (ghResponse, bool) {
	a := g.opts.App
	if a == nil {
		return ghResponse{}, false
	}
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case get && len(p) == 1 && p[0] == "app":
		return ghResponse{status: http.StatusOK, body: g.appJSON()}, true
	case post && len(p) == 4 && p[0] == "app" && p[1] == "installations" && p[3] == "access_tokens":
		if p[2] != strconv.FormatInt(a.InstallationID, 10) {
			return ghErrorDoc(http.StatusNotFound, "Not Found",
				"https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"), true
		}
		return ghResponse{status: http.StatusCreated, body: g.issueToken()}, true
	case len(p) >= 1 && p[0] == "app":
		return ghError(http.StatusNotFound, "Not Found"), true
	case get && len(p) == 2 && p[0] == "installation" && p[1] == "repositories":
		if !r.installation || !r.appToken {
			return ghErrorDoc(http.StatusForbidden,
				"You must authenticate with an installation access token in order to list repositories for an installation.",
				"https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation"), true
		}
		var names []string
		for _, repo := range g.sortedRepos() {
			if g.appSees(repo.fullName()) {
				names = append(names, repo.fullName())
			}
		}
		page, link, ok := paginate(names, r.Request, g.base+"installation/repositories")
		if !ok {
			return ghError(http.StatusUnprocessableEntity, "Validation Failed: page"), true
		}
		repos := make([]ghRepoJSON, len(page))
		for i, full := range page {
			repos[i] = g.repoJSON(g.repos[full], false)
		}
		return ghResponse{status: http.StatusOK, link: link, body: map[string]any{
			"total_count": len(names), "repository_selection": g.repositorySelection(), "repositories": repos}}, true
	}
	return ghResponse{}, false
}

// appSees reports whether the installation was given the repository.
func (g *GitHub) appSees(full string) bool {
	a := g.opts.App
	return a == nil || a.Repos == nil || slices.ContainsFunc(a.Repos, func(r string) bool { return strings.EqualFold(r, full) })
}

func (g *GitHub) repositorySelection() string {
	if g.opts.App.Repos == nil {
		return "all"
	}
	return "selected"
}

// issueToken mints an installation token in GitHub's shape.
func (g *GitHub) issueToken() map[string]any {
	b := make([]byte, 18)
	rand.Read(b)
	token := "ghs_" + hex.EncodeToString(b)
	expires := g.now().Add(g.opts.App.TokenLifetime)
	g.appTokens[token] = appToken{expires: expires}
	return map[string]any{
		"token":                token,
		"expires_at":           ghTime(expires),
		"permissions":          map[string]string{"issues": "write", "metadata": "read"},
		"repository_selection": g.repositorySelection(),
	}
}

func (g *GitHub) appJSON() map[string]any {
	a := g.opts.App
	owner := g.userJSON("acme")
	owner.Type = "Organization"
	return map[string]any{
		"id": a.ID, "slug": a.Slug, "node_id": "A_" + strconv.FormatInt(a.ID, 36),
		"owner": owner, "name": a.Slug, "description": "", "external_url": "https://example.com",
		"html_url": "https://github.com/apps/" + a.Slug, "created_at": ghTime(time.Unix(1700000000, 0)),
		"updated_at":  ghTime(time.Unix(1700000000, 0)),
		"permissions": map[string]string{"issues": "write", "metadata": "read"},
		"events":      []string{"issues", "issue_comment"}, "installations_count": 1,
	}
}
