#include "models/store/chunk_writer.hpp"

#include "models/parallel/parallel_for.hpp"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

namespace trial {
namespace {

// The dataset's filters, if they are exactly shuffle then deflate: the deflate level.
bool shuffle_then_deflate(const H5::DSetCreatPropList& properties, int& level) {
    if (properties.getNfilters() != 2) return false;
    unsigned flags = 0, values[8] = {};
    char name[64];
    unsigned filter_config = 0;
    std::size_t count = 8;
    if (properties.getFilter(0, flags, count, values, sizeof name, name, filter_config) !=
        H5Z_FILTER_SHUFFLE)
        return false;
    count = 8;
    if (properties.getFilter(1, flags, count, values, sizeof name, name, filter_config) !=
            H5Z_FILTER_DEFLATE ||
        count < 1)
        return false;
    level = static_cast<int>(values[0]);
    return true;
}

// HDF5's shuffle: byte b of every element, then byte b + 1 of every element, ...
void shuffle(const unsigned char* in, std::size_t bytes, std::size_t element_size,
             unsigned char* out) {
    const std::size_t elements = bytes / element_size;
    for (std::size_t b = 0; b < element_size; ++b) {
        unsigned char* plane = out + b * elements;
        for (std::size_t e = 0; e < elements; ++e)
            plane[e] = in[e * element_size + b];
    }
    std::memcpy(out + elements * element_size, in + elements * element_size,
                bytes - elements * element_size);
}

}  // namespace

void write_chunks_in_parallel(H5::DataSet& set, const void* data) {
    const H5::DataSpace space = set.getSpace();
    const int rank = space.getSimpleExtentNdims();
    const H5::DSetCreatPropList properties = set.getCreatePlist();
    const H5::DataType type = set.getDataType();
    int level = 0;
    hsize_t dims[2] = {0, 0}, chunk[2] = {0, 0};
    bool direct = (rank == 1 || rank == 2) && properties.getLayout() == H5D_CHUNKED &&
                  shuffle_then_deflate(properties, level);
    if (direct) {
        space.getSimpleExtentDims(dims);
        properties.getChunk(rank, chunk);
        direct = rank == 1 || chunk[1] == dims[1];  // whole rows: each chunk is contiguous
    }
    if (!direct) {
        set.write(data, type);
        return;
    }
    const std::size_t element_size = type.getSize();
    const std::size_t row_bytes = element_size * (rank == 2 ? dims[1] : 1);
    const std::size_t chunk_bytes = row_bytes * chunk[0];
    const std::size_t rows = dims[0];
    const std::size_t chunks = (rows + chunk[0] - 1) / chunk[0];
    if (chunks == 0) return;

    // In batches, so that only one batch's deflated chunks are held at a time.
    const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    const std::size_t batch = 16 * threads;
    std::vector<std::vector<unsigned char>> stored(std::min(batch, chunks));
    std::atomic<bool> failed{false};
    for (std::size_t begin = 0; begin < chunks; begin += batch) {
        const std::size_t end = std::min(chunks, begin + batch);
        auto filter = [&](std::size_t first, const std::atomic<bool>&) {
            std::vector<unsigned char> whole(chunk_bytes), shuffled(chunk_bytes),
                deflated(compressBound(chunk_bytes));
            for (std::size_t c = begin + first; c < end; c += threads) {
                // A last, partial chunk is stored at full size, padded (readers never look
                // there).
                const std::size_t from = c * chunk_bytes;
                const std::size_t bytes = std::min(chunk_bytes, rows * row_bytes - from);
                std::memcpy(whole.data(), static_cast<const unsigned char*>(data) + from, bytes);
                std::fill(whole.begin() + bytes, whole.end(), 0);
                shuffle(whole.data(), chunk_bytes, element_size, shuffled.data());
                uLongf size = deflated.size();
                if (compress2(deflated.data(), &size, shuffled.data(), chunk_bytes, level) !=
                    Z_OK) {
                    failed = true;
                    return;
                }
                stored[c - begin].assign(deflated.begin(), deflated.begin() + size);
            }
        };
        parallel::parallel_for(std::min(threads, end - begin), filter);
        if (failed) {
            set.write(data, type);  // the filter pipeline's way, over whatever was written
            return;
        }
        for (std::size_t c = begin; c < end; ++c) {
            const hsize_t offset[2] = {c * chunk[0], 0};
            if (H5Dwrite_chunk(set.getId(), H5P_DEFAULT, 0, offset, stored[c - begin].size(),
                               stored[c - begin].data()) < 0)
                throw H5::DataSetIException("write_chunks_in_parallel", "H5Dwrite_chunk failed");
        }
    }
}

}  // namespace trial
