// Package plots provides disco's pictures: the flow of a playlist's audio
// features, its path through the catalog's PCA map, its keys and tempos as
// a DJ would mix them, training loss curves, and parameter sweeps.
//
// # Overview
//
// Each constructor takes plain data ([FlowStep], [MapPoint], [MixStep],
// slices of float64) and returns a [*Figure]: a title, a legend strip,
// one or more aligned [plot.Plot] panels and, for playlists, a numbered
// tracklist at the side. [Save] writes any [Drawer] (a *Figure or a bare
// *plot.Plot) to a PNG, SVG, PDF, EPS, JPEG or TIFF file chosen by the
// file's extension, atomically; [Encode], [PNG] and [Image] write to a
// writer, to PNG bytes or to an in-memory image.
//
//	fig, err := plots.Flow(steps, "Late-night house")
//	if err != nil {
//		return err
//	}
//	return plots.Save(fig, 0, 0, "flow.png") // 0, 0: the figure's own size
//
// # Data contracts
//
// Bad data is an error, never a panic: empty input returns [ErrNoData];
// mismatched lengths and malformed values return errors naming the index.
// Non-finite values (NaN, ±Inf) are not errors: they are drawn as gaps,
// since real catalogs have tracks without features and sweeps have runs
// that diverged. Labels longer than [MaxLabel] runes are shortened with an
// ellipsis.
//
// # Looks
//
// Text is set in the Liberation Sans fonts embedded in gonum/plot, so
// output is identical on every machine; colours come from the Okabe-Ito
// palette (distinguishable with the common colour-vision deficiencies)
// and meaning never rests on colour alone: seeds, A/B keys and clashing
// transitions also differ in shape or dash. PNGs are drawn at [DPI] dots
// per inch; [Pixels] converts a pixel size to a length.
//
// Vector formats have limits of gonum/plot v0.17.0: SVG names the font
// ("Liberation Sans") without embedding it, so a viewer without it
// substitutes another sans; PDF embeds the font, but only in its regular
// weight (bold titles come out regular) and only Windows-1252 characters
// (others print as '?').
//
// # Tests
//
// Golden images live in testdata/ and are compared pixel for pixel;
// after an intended change of looks, run
//
//	go test ./plots -run Golden -regen
//
// and look at every rewritten PNG before committing it.
package plots
