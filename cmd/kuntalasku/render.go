package main

import (
	"runtime"
	"sync"
)

// renderAll renders docs (PDF and Finvoice) on a bounded pool of workers, one
// per CPU, and calls emit for each document in order once it is rendered, on
// the calling goroutine, while the workers go on with the next ones. At most
// a window of documents is rendered but not yet emitted: emit writes a
// document's files, and its bytes are dropped after, so a run of any size
// holds a bounded number of PDFs. The first error stops the work and is
// returned; documents after it are not emitted.
func renderAll(docs []*document, emit func(i int, d *document) error) error {
	roomForRendering()
	workers := min(runtime.GOMAXPROCS(0), len(docs))
	window := 4 * runtime.GOMAXPROCS(0)
	done := make([]chan error, len(docs)) // each document's render result
	for i := range done {
		done[i] = make(chan error, 1)
	}
	slots := make(chan struct{}, window) // taken from dispatch to emit
	next := make(chan int)
	stop := make(chan struct{})
	go func() { // dispatch, in order, while there is room in the window
		defer close(next)
		for i := range docs {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				done[i] <- docs[i].render()
			}
		}()
	}
	var err error
	for i := range docs {
		if err = <-done[i]; err == nil {
			err = emit(i, docs[i])
		}
		docs[i].pdf, docs[i].xml = nil, nil
		<-slots
		if err != nil {
			break
		}
	}
	close(stop)
	wg.Wait()
	return err
}
