package features

import "strings"

// TrackIDLen is the length of a Spotify track id: 22 base-62 characters.
const TrackIDLen = 22

// IsTrackID reports whether s is a bare Spotify track id: exactly 22
// characters from [0-9A-Za-z].
func IsTrackID(s string) bool {
	if len(s) != TrackIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// ParseTrackRef returns the Spotify track id that s refers to. It accepts,
// after trimming surrounding white space:
//
//	4uLU6hMCjMI75M1A2tKUQC                               a bare id
//	spotify:track:4uLU6hMCjMI75M1A2tKUQC                 a URI ("spotify:track:" in any case)
//	https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=x
//	open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC
//
// A URL may use http or https or no scheme, the host open.spotify.com or
// play.spotify.com, one locale segment "intl-xx" and an "embed" segment
// before "track", a trailing slash, and any query or fragment. The id
// itself must be exactly 22 base-62 characters; ids are case-sensitive and
// returned as written. Anything else, including album, artist, playlist and
// local-file URIs, gives ok false.
func ParseTrackRef(s string) (id string, ok bool) { return parseRef(s, "track") }

// ParsePlaylistRef is ParseTrackRef for playlists: a bare id,
// "spotify:playlist:ID" or an open.spotify.com/playlist/ID URL.
func ParsePlaylistRef(s string) (id string, ok bool) { return parseRef(s, "playlist") }

// parseRef parses a reference to a Spotify object of the given kind
// ("track", "playlist"); see ParseTrackRef.
func parseRef(s, kind string) (id string, ok bool) {
	s = strings.TrimSpace(s)
	if IsTrackID(s) {
		return s, true
	}
	if rest, found := CutPrefixFold(s, "spotify:"+kind+":"); found {
		if IsTrackID(rest) {
			return rest, true
		}
		return "", false
	}
	// URL forms.
	rest := s
	if r, found := CutPrefixFold(rest, "https://"); found {
		rest = r
	} else if r, found := CutPrefixFold(rest, "http://"); found {
		rest = r
	}
	host, path, found := strings.Cut(rest, "/")
	if !found {
		return "", false
	}
	if !strings.EqualFold(host, "open.spotify.com") && !strings.EqualFold(host, "play.spotify.com") {
		return "", false
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	path = strings.TrimSuffix(path, "/")
	seg := strings.Split(path, "/")
	if len(seg) > 0 && len(seg[0]) > len("intl-") && strings.HasPrefix(strings.ToLower(seg[0]), "intl-") {
		seg = seg[1:]
	}
	if len(seg) > 0 && strings.EqualFold(seg[0], "embed") {
		seg = seg[1:]
	}
	if len(seg) != 2 || !strings.EqualFold(seg[0], kind) || !IsTrackID(seg[1]) {
		return "", false
	}
	return seg[1], true
}

// CutPrefixFold is strings.CutPrefix ignoring ASCII case.
func CutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
