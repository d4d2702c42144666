package spotify_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Ids of the fixture tracks (see testdata/make_fixtures.py).
const (
	idA       = "4u7EnebtmKWzUH433cf5Qv" // Queen - Bohemian Rhapsody - Remastered 2011
	idB       = "1pKYYY0dkg23sQQXi0Q5zN" // Daft Punk - Around the World
	idC       = "5IVuqXILoxVWvWEPm82Jxr" // Beyoncé, JAY-Z - Crazy In Love (feat. Jay-Z)
	idUnknown = "0TrackFixture000000005" // R[5]: audio features null
	idMis     = "3tKTfCOxUKQkWIHh2wvPRA" // The Dandy Warhols - Bohemian Like You

	clientID     = "fixture-client-id"
	clientSecret = "fixture-client-secret"
	appToken     = "BQC4u7EnebtmKWzUH433cf5QvClientCredentialsFixture"
	userToken1   = "BQDuserAccessTokenFixture0001"
	userToken2   = "BQDuserAccessTokenFixture0002"
	refreshToken = "AQDrefreshTokenFixture0001"
	authCode     = "AQBfixtureAuthorisationCode"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reply is a canned answer the fake gives before its normal one.
type reply struct {
	status int
	header map[string]string
	body   string // a fixture name, or literal JSON when it starts with "{"
}

// fakeSpotify speaks the Web API, the token endpoint and the authorisation
// endpoint with the fixtures' JSON.
type fakeSpotify struct {
	t   testing.TB
	srv *httptest.Server

	mu         sync.Mutex
	queue      map[string][]reply // by path, served first
	hits       map[string]int     // requests by path
	featIDs    [][]string         // ids of each audio-features request
	search     string             // fixture for /v1/search
	features   map[string]json.RawMessage
	refuse     bool // token endpoint answers 401 invalid_client
	challenge  string
	redirect   string
	wrongState bool
	grants     []string // grant types seen
	created    []map[string]any
	added      [][]string
	bearer     []string // Authorization headers of /v1 requests
	onRequest  func(path string, n int, r *http.Request)
}

func newFake(t testing.TB) *fakeSpotify {
	f := &fakeSpotify{t: t, queue: map[string][]reply{}, hits: map[string]int{}, search: "search_queen.json", features: map[string]json.RawMessage{}}
	var af struct {
		F []json.RawMessage `json:"audio_features"`
	}
	if err := json.Unmarshal(fixture(t, "audio_features.json"), &af); err != nil {
		t.Fatal(err)
	}
	for _, raw := range af.F {
		var id struct{ ID string }
		json.Unmarshal(raw, &id)
		if id.ID != "" {
			f.features[id.ID] = raw
		}
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSpotify) push(path string, rs ...reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue[path] = append(f.queue[path], rs...)
}

func (f *fakeSpotify) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

func (f *fakeSpotify) write(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if strings.HasPrefix(body, "{") || body == "" {
		w.Write([]byte(body))
		return
	}
	w.Write(fixture(f.t, body))
}

func (f *fakeSpotify) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if strings.HasPrefix(path, "/v1/playlists/") && strings.HasSuffix(path, "/items") {
		path = "/v1/playlists/{id}/items"
	} else if strings.HasPrefix(path, "/v1/playlists/") {
		path = "/v1/playlists/{id}"
	}
	f.mu.Lock()
	f.hits[path]++
	n := f.hits[path]
	hook := f.onRequest
	var canned *reply
	if q := f.queue[path]; len(q) > 0 {
		canned = &q[0]
		f.queue[path] = q[1:]
	}
	f.mu.Unlock()
	if hook != nil {
		hook(path, n, r)
	}
	if canned != nil {
		for k, v := range canned.header {
			w.Header().Set(k, v)
		}
		f.write(w, canned.status, canned.body)
		return
	}
	switch {
	case path == "/api/token":
		f.token(w, r)
	case path == "/authorize":
		f.authorize(w, r)
	case strings.HasPrefix(path, "/v1/"):
		f.mu.Lock()
		f.bearer = append(f.bearer, r.Header.Get("Authorization"))
		f.mu.Unlock()
		auth := r.Header.Get("Authorization")
		if auth != "Bearer "+appToken && auth != "Bearer "+userToken1 && auth != "Bearer "+userToken2 {
			f.write(w, http.StatusUnauthorized, `{"error":{"status":401,"message":"Invalid access token"}}`)
			return
		}
		f.api(w, r, path)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeSpotify) api(w http.ResponseWriter, r *http.Request, path string) {
	q := r.URL.Query()
	switch path {
	case "/v1/search":
		if q.Get("type") != "track" {
			f.write(w, 400, `{"error":{"status":400,"message":"Bad search type field"}}`)
			return
		}
		f.mu.Lock()
		name := f.search
		f.mu.Unlock()
		f.write(w, 200, name)
	case "/v1/recommendations":
		if q.Get("limit") != "100" {
			f.write(w, 400, `{"error":{"status":400,"message":"limit must be 100 in this test"}}`)
			return
		}
		switch q.Get("seed_tracks") {
		case idA:
			f.write(w, 200, "recommendations_a.json")
		case idB:
			f.write(w, 200, "recommendations_b.json")
		case idA + "," + idB:
			f.write(w, 200, "recommendations_ab.json")
		default:
			f.write(w, 200, `{"seeds":[],"tracks":[]}`)
		}
	case "/v1/audio-features":
		ids := strings.Split(q.Get("ids"), ",")
		if len(ids) > 100 {
			f.write(w, 400, `{"error":{"status":400,"message":"Too many ids requested"}}`)
			return
		}
		f.mu.Lock()
		f.featIDs = append(f.featIDs, ids)
		entries := make([]json.RawMessage, len(ids))
		for i, id := range ids {
			if raw, ok := f.features[id]; ok {
				entries[i] = raw
			} else {
				entries[i] = json.RawMessage("null")
			}
		}
		f.mu.Unlock()
		b, _ := json.Marshal(map[string]any{"audio_features": entries})
		f.write(w, 200, string(b))
	case "/v1/me/playlists":
		if r.Method != http.MethodPost {
			f.write(w, 405, `{"error":{"status":405,"message":"Method not allowed"}}`)
			return
		}
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.created = append(f.created, body)
		f.mu.Unlock()
		f.write(w, 201, "me_playlists.json")
	case "/v1/playlists/{id}":
		f.write(w, 200, `{"name":"Road Trip"}`)
	case "/v1/playlists/{id}/items":
		if r.Method == http.MethodGet {
			// Two pages: two tracks, then a track, an episode and a
			// removed track, in Spotify's item shape.
			tr := func(id, name, artist string) string {
				return `{"track":{"type":"track","id":"` + id + `","name":"` + name + `","artists":[{"name":"` + artist + `","id":"x"}],"album":{"name":"Album"},"duration_ms":200000,"popularity":50}}`
			}
			if q.Get("offset") == "0" {
				next := "http://" + r.Host + "/v1/playlists/pl/items?limit=100&offset=2"
				f.write(w, 200, `{"items":[`+tr(idA, "Bohemian Rhapsody", "Queen")+`,`+tr(idB, "Song B", "Band B")+`],"next":"`+next+`"}`)
				return
			}
			f.write(w, 200, `{"items":[`+tr(idUnknown, "Song C", "Band C")+`,{"track":{"type":"episode","id":"ep"}},{"track":null}],"next":null}`)
			return
		}
		var body struct{ URIs []string }
		json.NewDecoder(r.Body).Decode(&body)
		if len(body.URIs) > 100 {
			f.write(w, 400, `{"error":{"status":400,"message":"Too many tracks"}}`)
			return
		}
		f.mu.Lock()
		f.added = append(f.added, body.URIs)
		f.mu.Unlock()
		f.write(w, 201, "playlist_items.json")
	default:
		f.write(w, 404, "error_404.json")
	}
}

func (f *fakeSpotify) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	grant := r.PostForm.Get("grant_type")
	f.mu.Lock()
	f.grants = append(f.grants, grant)
	refuse, challenge, redirect := f.refuse, f.challenge, f.redirect
	f.mu.Unlock()
	bad := func() { f.write(w, 400, `{"error":"invalid_grant","error_description":"Invalid authorization code"}`) }
	switch grant {
	case "client_credentials":
		id, secret, ok := r.BasicAuth()
		if refuse || !ok || id != clientID || secret != clientSecret {
			f.write(w, 401, "error_invalid_client.json")
			return
		}
		f.write(w, 200, "token.json")
	case "authorization_code":
		// PKCE: no secret; client_id, code, redirect_uri and the verifier
		// whose S256 hash is the challenge sent to /authorize.
		v := r.PostForm.Get("code_verifier")
		sum := sha256.Sum256([]byte(v))
		if r.PostForm.Get("client_id") != clientID || r.PostForm.Get("code") != authCode ||
			r.PostForm.Get("redirect_uri") != redirect || v == "" ||
			base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
			bad()
			return
		}
		f.write(w, 200, "token_user.json")
	case "refresh_token":
		if r.PostForm.Get("refresh_token") != refreshToken || r.PostForm.Get("client_id") != clientID {
			bad()
			return
		}
		f.write(w, 200, "token_refreshed.json")
	default:
		f.write(w, 400, `{"error":"unsupported_grant_type"}`)
	}
}

// authorize plays Spotify's consent page: the user agrees at once and the
// browser is redirected with the code and the state.
func (f *fakeSpotify) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != clientID ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "bad authorisation request", 400)
		return
	}
	f.mu.Lock()
	f.challenge, f.redirect = q.Get("code_challenge"), q.Get("redirect_uri")
	state := q.Get("state")
	if f.wrongState {
		state += "x"
	}
	f.mu.Unlock()
	u, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", 400)
		return
	}
	u.RawQuery = url.Values{"code": {authCode}, "state": {state}}.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func retryAfter(s int) map[string]string {
	return map[string]string{"Retry-After": strconv.Itoa(s)}
}
