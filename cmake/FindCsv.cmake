# libcsv (Debian: libcsv-dev) ships neither a CMake package nor a pkg-config
# file: find the library and its header and wrap them in a target.
find_library(CSV_LIBRARY NAMES csv REQUIRED)
find_path(CSV_INCLUDE_DIR NAMES csv.h REQUIRED)

if(NOT TARGET Csv::Csv)
    add_library(Csv::Csv UNKNOWN IMPORTED)
    set_target_properties(Csv::Csv PROPERTIES
        IMPORTED_LOCATION "${CSV_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${CSV_INCLUDE_DIR}")
endif()
