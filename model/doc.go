// Package model provides DISCO's flow model: a recurrent network that, from
// the playlist so far, predicts the scaled audio features of the next song.
package model
