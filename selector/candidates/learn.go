package candidates

import (
	"context"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/model/song2vec"
)

// VectorConfig is how disco trains song2vec vectors: the embedded ones,
// `disco song2vec`'s defaults and Learn's. Workers 1 makes it
// deterministic.
var VectorConfig = song2vec.Config{
	Dim: 16, Window: 10, Negative: 5, MinCount: 1, Sample: -1,
	Epochs: 50, Alpha: 0.025, Workers: 1, Seed: 1,
}

// Learn returns a Hybrid that knows only the given training playlists:
// song2vec vectors trained on them (with cfg), their artist graph, and a
// copy of the catalog whose genre labels are those the training
// playlists give (a track in none of them has none). Evaluation needs it:
// the held-out playlists must not leak into the source through the
// vectors, the graph or the labels.
func Learn(ctx context.Context, train []*features.Playlist, cat *features.Catalog, sc *scale.Scaler, cfg song2vec.Config) (*Hybrid, error) {
	corpus := make(song2vec.Playlists, 0, len(train))
	known := map[string]*features.Playlist{}
	for _, p := range train {
		ids := make([]string, len(p.Tracks))
		for i, t := range p.Tracks {
			ids[i] = t.ID
			if known[t.ID] == nil {
				known[t.ID] = p
			}
		}
		corpus = append(corpus, ids)
	}
	v, _, err := song2vec.Train(ctx, corpus, cfg)
	if err != nil {
		return nil, err
	}
	var c features.Catalog
	for _, t := range cat.Tracks {
		u := *t
		u.Genre, u.Subgenre = "", ""
		if p := known[t.ID]; p != nil {
			u.Genre, u.Subgenre = p.Genre, p.Subgenre
		}
		c.Add(&u)
	}
	return &Hybrid{Catalog: &c, Scaler: sc, Vectors: v, Artists: NewArtistGraph(train)}, nil
}
