# One INTERFACE target carries every compile setting of the project. Every
# target links it; nothing touches the global CMAKE_CXX_FLAGS.
add_library(project_options INTERFACE)
add_library(ResellerDesk::options ALIAS project_options)

target_compile_features(project_options INTERFACE cxx_std_23)

target_compile_options(project_options INTERFACE
    -Wall -Wextra -Wpedantic
    -Wold-style-cast -Woverloaded-virtual -Wnon-virtual-dtor
    -Wcast-qual -Wshadow=local -Wformat=2 -Wimplicit-fallthrough)

if(RESELLERDESK_WERROR)
    target_compile_options(project_options INTERFACE -Werror)
endif()

if(RESELLERDESK_SANITIZE)
    target_compile_options(project_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(project_options INTERFACE -fsanitize=address,undefined)
endif()

# Qt safety defines: no implicit const char* <-> QString conversions, no
# narrowing in connect(), QStringBuilder for '%' and '+'.
target_compile_definitions(project_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_CONTEXTLESS_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    RESELLERDESK_VERSION="${PROJECT_VERSION}")
