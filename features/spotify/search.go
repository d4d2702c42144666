package spotify

import (
	"context"
	"strings"

	"github.com/discoflow/disco/features"
	zspotify "github.com/zmb3/spotify/v2"
)

// searchLimit is how many hits Resolve looks through.
const searchLimit = 10

// Resolve searches for the song title by artist and returns the first hit
// that matches both after normalisation (see Matches), as a Track without
// features. When no hit matches, it returns a *MismatchError naming the
// best hit (or none). It tries a fielded query (track:"…" artist:"…")
// first and a plain one when that finds nothing.
func (c *Client) Resolve(ctx context.Context, artist, title string) (*features.Track, error) {
	queries := []string{
		"track:" + quote(title) + " artist:" + quote(artist),
		title + " " + artist,
	}
	var best *zspotify.FullTrack
	for _, q := range queries {
		var res *zspotify.SearchResult
		err := c.call(ctx, "GET /search", false, func(ctx context.Context) error {
			var err error
			res, err = c.api.Search(ctx, q, zspotify.SearchTypeTrack, zspotify.Limit(searchLimit))
			return err
		})
		if err != nil {
			return nil, err
		}
		if res.Tracks == nil {
			continue
		}
		for i := range res.Tracks.Tracks {
			ft := &res.Tracks.Tracks[i]
			if best == nil {
				best = ft
			}
			if Matches(artist, title, artistNames(ft.Artists), ft.Name) {
				return fullTrack(ft), nil
			}
		}
	}
	e := &MismatchError{Artist: artist, Title: title}
	if best != nil {
		h := fullTrack(best)
		e.Hit, e.HitID = h.String(), h.ID
	}
	return nil, e
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, "") + `"`
}

func artistNames(as []zspotify.SimpleArtist) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Name
	}
	return out
}

// Matches reports whether a hit (its artists and title) is the song title
// by artist. Both sides are normalised: case, accents and punctuation are
// ignored, "&" reads "and", a leading "the " is dropped from artists, and
// version notes in titles (" - Remastered 2011", "(feat. X)", "[Live]")
// are ignored when the rest still matches. The artist matches when it, or
// its first credited name (before ",", "&", " feat.", " x "), equals one of
// the hit's artists.
func Matches(artist, title string, hitArtists []string, hitTitle string) bool {
	if !titleMatches(title, hitTitle) {
		return false
	}
	want := []string{normArtist(artist)}
	if first := firstArtist(artist); first != artist {
		want = append(want, normArtist(first))
	}
	joined := normArtist(strings.Join(hitArtists, " & "))
	for _, w := range want {
		if w == "" {
			continue
		}
		if w == joined {
			return true
		}
		for _, h := range hitArtists {
			if w == normArtist(h) {
				return true
			}
		}
	}
	return false
}

func titleMatches(a, b string) bool {
	na, nb := features.Normalize(a), features.Normalize(b)
	if na == nb {
		return na != ""
	}
	ba, bb := features.Normalize(baseTitle(a)), features.Normalize(baseTitle(b))
	return ba != "" && ba == bb
}

// baseTitle drops version notes: a " - ..." suffix and parenthesised or
// bracketed parts.
func baseTitle(s string) string {
	if i := strings.Index(s, " - "); i > 0 {
		s = s[:i]
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func normArtist(s string) string {
	n := features.Normalize(s)
	return strings.TrimPrefix(n, "the ")
}

// firstArtist returns the first name of a credit such as "A, B", "A & B",
// "A feat. B", "A ft. B" or "A x B".
func firstArtist(s string) string {
	low := strings.ToLower(s)
	cut := len(s)
	for _, sep := range []string{",", " & ", " feat.", " feat ", " ft.", " ft ", " featuring ", " x ", " with "} {
		if i := strings.Index(low, sep); i > 0 && i < cut {
			cut = i
		}
	}
	return strings.TrimSpace(s[:cut])
}
