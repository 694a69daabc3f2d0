#pragma once
// Writes a whole chunked, shuffled and deflated dataset with its chunks filtered on several
// threads. HDF5's own filter pipeline runs on the one thread that writes, and deflating the
// large tables of a 10,000-replication run (some 30 MB) was most of the time the run spent
// after its last replication, with the other core idle. Each chunk here goes through the same
// two filters, byte shuffle then zlib's compress2 at the dataset's level, and is handed to
// HDF5 as stored bytes (H5Dwrite_chunk): readers cannot tell the difference.

#include <H5Cpp.h>

namespace trial {

// `data`: the dataset's every element, row-major, in its file type (no conversion). Falls back
// to a plain write where the layout is not one chunk of whole rows after another (chunks
// that split rows, other filters).
void write_chunks_in_parallel(H5::DataSet& set, const void* data);

}  // namespace trial
