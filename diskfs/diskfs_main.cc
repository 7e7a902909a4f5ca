// jepsen-diskfs <backing-dir> <mountpoint> --control <address>: a FUSE
// filesystem that shows <backing-dir> at <mountpoint> and keeps writes that
// are not durable in memory, so a `power-loss` command can drop them
// (docs/disk-faults.md). Root and /dev/fuse are needed.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "diskfs/filesystem.h"

int main(int argc, char** argv) {
  jepsen::diskfs::FilesystemOptions options;
  uint64_t max_file_mib = options.max_file_bytes >> 20;
  CLI::App app{"A filesystem that loses what was not made durable, on command.", "jepsen-diskfs"};
  app.add_option("backing", options.backing, "The directory it shows (must exist)")->required();
  app.add_option("mountpoint", options.mountpoint, "Where to mount it (must exist)")->required();
  app.add_option("--control", options.control,
                 "The control channel: a Unix socket path, or @name (abstract)")
      ->required();
  app.add_option(
         "--max-file-mib", max_file_mib,
         "Most a file holds not durable in memory, in MiB; beyond, its writes go through to "
         "the backing file, undoably (an undo log in the state directory)")
      ->default_val(max_file_mib)
      ->check(CLI::Range(1, 1 << 20));
  app.add_flag("--strict-metadata", options.strict_metadata,
               "Creates, renames, unlinks, mkdirs, rmdirs survive a power loss only once their "
               "directory was fsynced (default: at once, as ext4's ordered journal)");
  app.add_flag("--real-fsync", options.real_fsync,
               "Also fsync the backing files (only a real crash of this machine needs it)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 254;
  }
  std::error_code error;
  for (std::string* dir : {&options.backing, &options.mountpoint}) {
    if (!std::filesystem::is_directory(*dir, error)) {
      std::cerr << "jepsen-diskfs: " << *dir << " is not a directory\n";
      return 254;
    }
    *dir = std::filesystem::canonical(*dir, error).string();
  }
  options.max_file_bytes = max_file_mib << 20;
  return jepsen::diskfs::RunFilesystem(options);
}
