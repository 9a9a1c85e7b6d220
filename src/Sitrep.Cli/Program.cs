Console.WriteLine("sitrep");
