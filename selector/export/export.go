// Package export provides the file formats of a built playlist: an aligned
// text table, JSON and CSV for scripts, and the playlist files players and
// DJ software read, extended M3U (M3U8) and XSPF.
//
// Every format carries the same facts per position: the track, whether it
// was a seed, its key (Camelot) and tempo, and for a picked song the score
// terms that chose it and the transition from the previous song.
package export

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/theory"
)

// Text in every format is valid UTF-8: bytes of a track's text that are
// not (a title read from a Latin-1 file, say) are written as U+FFFD, the
// replacement character, the same way in each format.

// Formats lists the format names Write accepts.
var Formats = []string{"table", "json", "csv", "m3u8", "xspf"}

// Write writes the playlist in the named format.
func Write(w io.Writer, format string, picks []selector.Pick) error {
	switch format {
	case "table":
		return Table(w, picks)
	case "json":
		return JSON(w, picks)
	case "csv":
		return CSV(w, picks)
	case "m3u8", "m3u":
		return M3U8(w, picks)
	case "xspf":
		return XSPF(w, picks)
	}
	return fmt.Errorf("export: unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// FormatFromPath returns the format a file name implies by its extension,
// or "" when it implies none.
func FormatFromPath(path string) string {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return ""
	}
	switch ext := strings.ToLower(path[i+1:]); ext {
	case "json", "csv", "m3u8", "xspf":
		return ext
	case "m3u":
		return "m3u8"
	case "txt":
		return "table"
	}
	return ""
}

// Entry is one position of a playlist as JSON and CSV show it.
type Entry struct {
	Position   int                `json:"position"`
	Seed       bool               `json:"seed"`
	ID         string             `json:"id"`
	URI        string             `json:"uri"`
	Artist     string             `json:"artist"`
	Title      string             `json:"title"`
	Album      string             `json:"album,omitempty"`
	Genre      string             `json:"genre,omitempty"`
	DurationMS int                `json:"duration_ms,omitempty"`
	Key        string             `json:"key"`     // "A minor"
	Camelot    string             `json:"camelot"` // "8A"
	BPM        float64            `json:"bpm"`     // 0 unknown
	Features   map[string]float64 `json:"features"`
	Scaled     []float64          `json:"scaled"`
	Predicted  []float64          `json:"predicted,omitempty"`
	Terms      *selector.Terms    `json:"terms,omitempty"`
	Transition string             `json:"transition,omitempty"` // "8A -> 9A (+1)"
	Move       string             `json:"move,omitempty"`
	BPMRatio   *float64           `json:"bpm_ratio,omitempty"`
	Sources    []string           `json:"sources,omitempty"` // why the song is a candidate
}

// Entries converts picks to entries, positions counted from 1.
func Entries(picks []selector.Pick) []Entry {
	out := make([]Entry, len(picks))
	for i, p := range picks {
		t := p.Track
		k := theory.NewKey(t.Key, t.Mode)
		e := Entry{
			Position: i + 1, Seed: p.Seed, ID: t.ID, URI: t.URI(),
			Artist: t.Artist(), Title: t.Name, Album: t.Album, Genre: t.Genre,
			DurationMS: max(t.DurationMS, 0), Key: k.String(), Camelot: k.Camelot(), BPM: t.Tempo,
			Features: map[string]float64{}, Scaled: append([]float64(nil), p.Scaled[:]...),
			Sources: p.Sources,
		}
		for j, name := range features.AbstractNames {
			e.Features[name] = t.Features[j]
		}
		if p.Predicted != nil {
			e.Predicted = append([]float64(nil), p.Predicted[:]...)
		}
		if !p.Seed {
			terms := p.Terms
			e.Terms = &terms
		}
		if i > 0 {
			e.Transition = p.Camelot
			e.Move = p.Move.String()
			if !math.IsNaN(p.BPMRatio) {
				r := p.BPMRatio
				e.BPMRatio = &r
			}
		}
		out[i] = e
	}
	return out
}

// JSON writes the playlist as an indented JSON array of Entry.
func JSON(w io.Writer, picks []selector.Pick) error {
	picks = validUTF8(picks)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Entries(picks))
}

// CSV writes one row per position with a header; features are raw, terms
// empty for seeds.
func CSV(w io.Writer, picks []selector.Pick) error {
	picks = validUTF8(picks)
	cw := csv.NewWriter(w)
	head := []string{"position", "seed", "id", "artist", "title", "album", "key", "camelot", "bpm"}
	head = append(head, features.AbstractNames[:]...)
	head = append(head, "distance", "key_sim", "tempo_sim", "prior", "score", "transition", "bpm_ratio")
	tasted := hasTaste(picks)
	if tasted {
		head = append(head, "taste")
	}
	arced := hasArc(picks)
	if arced {
		head = append(head, "arc")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, e := range Entries(picks) {
		row := []string{strconv.Itoa(e.Position), strconv.FormatBool(e.Seed), e.ID, e.Artist, e.Title, e.Album, e.Key, e.Camelot, num(e.BPM)}
		for _, name := range features.AbstractNames {
			row = append(row, num(e.Features[name]))
		}
		if e.Terms != nil {
			row = append(row, num(e.Terms.Distance), num(e.Terms.KeySim), num(e.Terms.TempoSim), num(e.Terms.Prior), num(e.Terms.Score))
		} else {
			row = append(row, "", "", "", "", "")
		}
		ratio := ""
		if e.BPMRatio != nil {
			ratio = num(*e.BPMRatio)
		}
		row = append(row, e.Transition, ratio)
		if tasted {
			v := ""
			if e.Terms != nil {
				v = num(e.Terms.Taste)
			}
			row = append(row, v)
		}
		if arced {
			v := ""
			if e.Terms != nil {
				v = num(e.Terms.Arc)
			}
			row = append(row, v)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// M3U8 writes an extended M3U playlist: "#EXTINF:<seconds>,Artist - Title"
// and the Spotify URI as each entry's location.
func M3U8(w io.Writer, picks []selector.Pick) error {
	picks = validUTF8(picks)
	var b strings.Builder
	b.WriteString("#EXTM3U\n")
	for _, p := range picks {
		secs := -1
		if p.Track.DurationMS > 0 {
			secs = (p.Track.DurationMS + 500) / 1000
		}
		name := strings.NewReplacer("\n", " ", "\r", " ").Replace(p.Track.String())
		fmt.Fprintf(&b, "#EXTINF:%d,%s\n%s\n", secs, name, p.Track.URI())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Explain returns a one-line explanation of a pick: for a seed "seed", for
// a pick its transition, tempo ratio and score terms.
func Explain(p selector.Pick) string {
	if p.Seed {
		return "seed"
	}
	ratio := "?"
	if !math.IsNaN(p.BPMRatio) {
		ratio = fmt.Sprintf("%.3f", p.BPMRatio)
	}
	s := fmt.Sprintf("key %s, tempo ratio %s; distance %.3f, keySim %+.2f, tempoSim %+.2f, score %.3f",
		p.Camelot, ratio, p.Terms.Distance, p.Terms.KeySim, p.Terms.TempoSim, p.Terms.Score)
	if p.Terms.Tasted() {
		s += fmt.Sprintf(", taste %.2f", p.Terms.Taste)
	}
	if p.Terms.Arced() {
		s += fmt.Sprintf(", arc %.3f", p.Terms.Arc)
	}
	if len(p.Sources) > 0 {
		s += "; proposed by " + strings.Join(p.Sources, "+")
	}
	return s
}

// hasTaste reports whether a taste model measured the picks' taste terms
// (selector.Terms.Tasted): then the table and CSV show them.
func hasTaste(picks []selector.Pick) bool {
	return slices.ContainsFunc(picks, func(p selector.Pick) bool { return !p.Seed && p.Terms.Tasted() })
}

// hasArc reports whether an arc measured the picks' arc terms
// (selector.Terms.Arced): then the table and CSV show them.
func hasArc(picks []selector.Pick) bool {
	return slices.ContainsFunc(picks, func(p selector.Pick) bool { return !p.Seed && p.Terms.Arced() })
}

type xspfTrack struct {
	Location   string `xml:"location"`
	Identifier string `xml:"identifier"`
	Title      string `xml:"title,omitempty"`
	Creator    string `xml:"creator,omitempty"`
	Album      string `xml:"album,omitempty"`
	Duration   int    `xml:"duration,omitempty"`
	Annotation string `xml:"annotation,omitempty"`
}

type xspfPlaylist struct {
	XMLName xml.Name    `xml:"playlist"`
	Version string      `xml:"version,attr"`
	NS      string      `xml:"xmlns,attr"`
	Title   string      `xml:"title,omitempty"`
	Creator string      `xml:"creator"`
	Tracks  []xspfTrack `xml:"trackList>track"`
}

// XSPF writes an XSPF playlist; each track's annotation explains the
// transition into it.
func XSPF(w io.Writer, picks []selector.Pick) error {
	picks = validUTF8(picks)
	pl := xspfPlaylist{Version: "1", NS: "http://xspf.org/ns/0/", Creator: "disco"}
	if len(picks) > 0 {
		pl.Title = "disco: from " + picks[0].Track.String()
	}
	for _, p := range picks {
		t := p.Track
		pl.Tracks = append(pl.Tracks, xspfTrack{
			Location: t.URI(), Identifier: "https://open.spotify.com/track/" + t.ID,
			Title: t.Name, Creator: t.Artist(), Album: t.Album,
			Duration: max(t.DurationMS, 0), Annotation: Explain(p),
		})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(pl); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Table writes an aligned table: position (seeds marked *), artist -
// title, Camelot key, BPM, energy, valence, and the score terms (prior:
// how strongly the candidate source proposed the song, see
// selector.Prior; taste, after prior when a taste model measured it: the
// probability that the listener likes the song; arc, after them when an
// arc measured it: its term, selector.ArcCost).
func Table(w io.Writer, picks []selector.Pick) error {
	picks = validUTF8(picks)
	rows := [][]string{{"#", "artist - title", "key", "bpm", "energy", "valence", "dist", "keySim", "tempoSim", "prior", "score", "move"}}
	tasted := hasTaste(picks)
	if tasted {
		rows[0] = slices.Insert(rows[0], 10, "taste")
	}
	arced := hasArc(picks)
	at := 10 // the arc's column, before score
	if tasted {
		at++
	}
	if arced {
		rows[0] = slices.Insert(rows[0], at, "arc")
	}
	why := slices.ContainsFunc(picks, func(p selector.Pick) bool { return len(p.Sources) > 0 })
	if why {
		rows[0] = append(rows[0], "why")
	}
	for i, p := range picks {
		t := p.Track
		pos := strconv.Itoa(i + 1)
		if p.Seed {
			pos += "*"
		}
		cam := theory.NewKey(t.Key, t.Mode).Camelot()
		if cam == "" {
			cam = "?"
		}
		bpm := "?"
		if t.Tempo > 0 {
			bpm = fmt.Sprintf("%.1f", t.Tempo)
		}
		row := []string{pos, shorten(t.String(), 48), cam, bpm,
			fmt.Sprintf("%.2f", t.Features[features.Energy]), fmt.Sprintf("%.2f", t.Features[features.Valence])}
		if p.Seed {
			row = append(row, "", "", "", "", "", "seed")
		} else {
			row = append(row, fmt.Sprintf("%.3f", p.Terms.Distance), fmt.Sprintf("%+.2f", p.Terms.KeySim),
				fmt.Sprintf("%+.2f", p.Terms.TempoSim), fmt.Sprintf("%.2f", p.Terms.Prior), fmt.Sprintf("%.3f", p.Terms.Score), p.Move.String())
		}
		if tasted {
			v := ""
			if !p.Seed {
				v = fmt.Sprintf("%.2f", p.Terms.Taste)
			}
			row = slices.Insert(row, 10, v)
		}
		if arced {
			v := ""
			if !p.Seed {
				v = fmt.Sprintf("%.3f", p.Terms.Arc)
			}
			row = slices.Insert(row, at, v)
		}
		if why {
			row = append(row, strings.Join(p.Sources, "+"))
		}
		rows = append(rows, row)
	}
	right := map[int]bool{0: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true}
	if tasted {
		right[11] = true
	}
	if arced {
		right[at+1] = true
	}
	return Aligned(w, rows, right)
}

// Aligned writes rows as columns separated by two spaces, padded by the
// width a terminal gives each cell (wide characters such as emoji and CJK
// count two, combining marks none); columns in right are right-aligned. The first row is the header,
// underlined.
func Aligned(w io.Writer, rows [][]string, right map[int]bool) error {
	var widths []int
	for _, r := range rows {
		for j, c := range r {
			if j >= len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], displayWidth(c))
		}
	}
	var b strings.Builder
	line := func(r []string) {
		var l strings.Builder
		for j, c := range r {
			if j > 0 {
				l.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[j]-displayWidth(c))
			if right[j] {
				l.WriteString(pad + c)
			} else if j < len(r)-1 {
				l.WriteString(c + pad)
			} else {
				l.WriteString(c)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	for i, r := range rows {
		line(r)
		if i == 0 {
			rule := make([]string, len(r))
			for j := range r {
				rule[j] = strings.Repeat("─", widths[j])
			}
			line(rule)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x300:
			n++
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), r == 0x200d, r >= 0xfe00 && r <= 0xfe0f:
			// combining mark, zero-width joiner, variation selector
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// validUTF8 returns picks, or a copy whose tracks' text has every run of
// invalid UTF-8 bytes replaced by U+FFFD; the tracks are not changed.
func validUTF8(picks []selector.Pick) []selector.Pick {
	var out []selector.Pick
	for i, p := range picks {
		t := p.Track
		ok := utf8.ValidString(t.ID) && utf8.ValidString(t.Name) && utf8.ValidString(t.Album) && utf8.ValidString(t.Genre)
		for _, a := range t.Artists {
			ok = ok && utf8.ValidString(a)
		}
		if ok {
			continue
		}
		if out == nil {
			out = slices.Clone(picks)
		}
		c := *t
		fix := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
		c.ID, c.Name, c.Album, c.Genre = fix(c.ID), fix(c.Name), fix(c.Album), fix(c.Genre)
		c.Artists = make([]string, len(t.Artists))
		for j, a := range t.Artists {
			c.Artists[j] = fix(a)
		}
		out[i].Track = &c
	}
	if out == nil {
		return picks
	}
	return out
}
